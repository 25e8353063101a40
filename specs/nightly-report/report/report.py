"""Builds the nightly sales report (the function's code, packaged from this folder)."""


def handler(event, context):
    return {"status": "ok"}
