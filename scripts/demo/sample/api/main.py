"""Entry point of the demo backend: serves JSON on port 8000."""
from api.server import serve

if __name__ == "__main__":
    serve()
