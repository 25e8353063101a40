def handler(event, context):
    return {"alerted": True}
