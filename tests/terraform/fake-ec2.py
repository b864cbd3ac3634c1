#!/usr/bin/env python3
"""A stand-in EC2 endpoint on loopback for planning against a made-up state:
every call answers an empty result (no instances, no tags). The compute
module's data.aws_instances reads at plan time once its group exists in the
state, and would otherwise reach AWS.

usage: fake-ec2.py PORT"""
import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
        action = next((p.split("=", 1)[1] for p in body.split("&") if p.startswith("Action=")), "Unknown")
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><{action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
               f"<requestId>fake</requestId><reservationSet/><tagSet/></{action}Response>")
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.end_headers()
        self.wfile.write(xml.encode())

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
