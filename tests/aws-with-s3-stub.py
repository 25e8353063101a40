#!/usr/bin/python3
"""The real AWS CLI (Debian's /usr/bin/aws) with every S3 client pointed at the S3 stand-in
(tests/s3-stub.py) whose port is in the file $MRP_S3_STUB_PORT, for tests that run the
generated build script's `aws cloudformation package` as it is: the CLI itself reads the
template, zips and uploads each local artifact and writes the packaged template. Other services
are not redirected; the build script calls none.
"""

import os
import runpy
import sys

AWS = "/usr/bin/aws"
sys.path[0] = os.path.dirname(AWS)
import awscli  # noqa: E402,F401  (makes `botocore` the CLI's own)
import botocore.session  # noqa: E402

with open(os.environ["MRP_S3_STUB_PORT"]) as f:
    endpoint = "http://127.0.0.1:" + f.read().strip()

create_client = botocore.session.Session.create_client


def with_s3_stub(self, service_name, *args, **kwargs):
    if service_name == "s3":
        kwargs["endpoint_url"] = endpoint
    return create_client(self, service_name, *args, **kwargs)


botocore.session.Session.create_client = with_s3_stub
sys.argv = [AWS] + sys.argv[1:]
runpy.run_path(AWS, run_name="__main__")
