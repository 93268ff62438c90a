/** A function that computes its value on the first call and returns that value after; a call that throws is not kept. */
export function once<T>(compute: () => T): () => T {
  let value: { readonly v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}
