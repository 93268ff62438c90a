export function App() {
  return <h1>Hello from the nx-buildkit demo</h1>;
}
