import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const id = event.pathParameters?.id;
  const found = await db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { id } }));
  return found.Item ? { statusCode: 200, body: JSON.stringify(found.Item) } : { statusCode: 404 };
};
