#!/usr/bin/env python3
"""Sample `web` process for the opsbot demo: answers /healthz with 200 (and /health), logs requests."""
import http.server
import logging
import os
import sys

PORT = int(os.environ.get("PORT", "8089"))
LOG = os.environ.get("WEB_LOG")

logging.basicConfig(filename=LOG, level=logging.INFO, format="%(asctime)s - %(levelname)s - %(message)s")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path in ("/healthz", "/health"):
            body = b'{"status":"ok"}'
            self.send_response(200)
        else:
            body = b'{"error":"not found"}'
            self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        logging.info("%s %s", self.address_string(), fmt % args)


if __name__ == "__main__":
    logging.info("API Gateway listening on 127.0.0.1:%d", PORT)
    http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
