import json
import os
import tomllib
from http.server import BaseHTTPRequestHandler, HTTPServer

CONFIG_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "config", "settings.toml")


def load_settings():
    with open(CONFIG_PATH, "rb") as handle:
        return tomllib.load(handle)["server"]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"message": load_settings()["greeting"], "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


def serve():
    settings = load_settings()
    HTTPServer(("0.0.0.0", int(settings["port"])), Handler).serve_forever()
