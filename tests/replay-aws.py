#!/usr/bin/python3
"""Runs many calls through the real AWS CLI (Debian's /usr/bin/aws) in one process.

Starting /usr/bin/aws costs close to a second before it looks at its arguments, most of it
importing awscli and the handlers that every call loads. This imports them once, then forks for
each call: the child runs the /usr/bin/aws script itself, so each call starts from the state of a
fresh /usr/bin/aws that has done those imports, builds a driver of its own and exits as
/usr/bin/aws would (252 for an argument the CLI rejects).

Input (stdin), for each call: the number of arguments, then the arguments without `aws`, each
ended by NUL, as `printf '%s\\0' "$#" "$@"` writes them.
Output (stdout): one JSON object per call, in order: {"status": exit status, "err": stderr}.
Calls run one after another in the current folder, so a call sees the files earlier ones wrote.
"""

import json
import os
import runpy
import sys
import tempfile
import traceback

AWS = "/usr/bin/aws"

# Imports resolve as for /usr/bin/aws, which runs with its own folder first on the path.
sys.path[0] = os.path.dirname(AWS)
import awscli.clidriver  # noqa: E402
import awscli.handlers  # noqa: E402


def read_calls(data):
    fields = data.split(b"\0")
    if fields[-1] != b"":
        sys.exit("replay-aws.py: the input does not end with NUL")
    fields.pop()
    calls = []
    i = 0
    while i < len(fields):
        count = int(fields[i])
        if i + 1 + count > len(fields):
            sys.exit("replay-aws.py: the input ends inside a call")
        # Decoded as the interpreter decodes its own command line.
        calls.append([os.fsdecode(f) for f in fields[i + 1:i + 1 + count]])
        i += 1 + count
    return calls


def exit_status(code):
    """The exit status of an interpreter that ends with SystemExit(code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def run_child(args, err):
    """In the forked child: runs /usr/bin/aws with args; never returns."""
    status = 1
    try:
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(err.fileno(), 2)
        sys.argv = [AWS] + args
        try:
            runpy.run_path(AWS, run_name="__main__")
            status = 0
        except SystemExit as e:
            status = exit_status(e.code)
        except BaseException:
            traceback.print_exc()
            status = 1
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status)


def replay(args):
    with tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            run_child(args, err)
        _, wait_status = os.waitpid(pid, 0)
        err.seek(0)
        text = err.read().decode("utf-8", errors="replace")
    return {"status": os.waitstatus_to_exitcode(wait_status), "err": text}


def main():
    for args in read_calls(sys.stdin.buffer.read()):
        print(json.dumps(replay(args)), flush=True)


if __name__ == "__main__":
    main()
