#!/usr/bin/python3
"""A stand-in for Amazon S3 on 127.0.0.1, for tests that run the real AWS CLI's
`cloudformation package` (through tests/aws-with-s3-stub.py).

Usage: s3-stub.py FOLDER. It listens on a free port, writes the port to FOLDER/port once it
listens, and keeps every object PUT to it as FOLDER/objects/BUCKET/KEY. It answers HEAD with 404
(no object exists yet, so the CLI uploads each one), PUT with 200 and an ETag, anything else with
200 and no body, and logs each request, "METHOD /BUCKET/KEY", to FOLDER/requests.log. It runs
until killed.
"""

import hashlib
import http.server
import os
import sys
import urllib.parse

folder = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self):
        path = urllib.parse.urlsplit(self.path).path
        with open(os.path.join(folder, "requests.log"), "a") as log:
            log.write(f"{self.command} {urllib.parse.unquote(path)}\n")
        return urllib.parse.unquote(path)

    def body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length) if length else b""

    def reply(self, status, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self.record()
        self.reply(404)

    def do_PUT(self):
        path = self.record()
        data = self.body()
        target = os.path.join(folder, "objects", path.lstrip("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(data)
        self.reply(200, [("ETag", '"' + hashlib.md5(data).hexdigest() + '"')])

    def do_GET(self):
        self.record()
        self.reply(200)

    def do_POST(self):
        self.record()
        self.body()
        self.reply(200)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(folder, "port.tmp"), "w") as out:
    out.write(str(server.server_address[1]))
os.replace(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
server.serve_forever()
