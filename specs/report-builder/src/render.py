def handler(event, context):
    return {"report": event.get("name", "report"), "pages": 1}
