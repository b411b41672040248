import type { ServerResponse } from 'node:http';

/** XML answers of the AWS services whose protocols are XML (S3's REST, STS's query): the pieces they share. */

export function sendXml(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  res.writeHead(status, { ...headers, 'Content-Type': 'text/xml', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
