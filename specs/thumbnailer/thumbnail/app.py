import pyvips


def handler(event, context):
    made = []
    for record in event.get("Records", []):
        key = record["s3"]["object"]["key"]
        made.append(key.replace("originals/", "thumbnails/", 1))
    return {"thumbnails": made, "vips": pyvips.version(0)}
