// The proxy benchmark's second server: a plain node:http server on the run's container port, answering
// every request with the same small text, as an actor's own web server would (keep-alive as node does);
// GET /bytes/N answers N bytes chunked (no Content-Length, so a relay meets chunked framing), written in
// 64 KiB pieces as the connection drains.
import http from 'node:http';

const port = Number(process.env.ACTOR_WEB_SERVER_PORT || process.env.APIFY_CONTAINER_PORT || 4321);
const body = 'Hello from node.js\n';
const block = Buffer.alloc(65536, 'x');

function sendBytes(res, total) {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let left = total;
    const more = () => {
        while (left > 0) {
            const piece = left < block.length ? block.subarray(0, left) : block;
            left -= piece.length;
            if (!res.write(piece)) {
                res.once('drain', more);
                return;
            }
        }
        res.end();
    };
    more();
}

http.createServer((req, res) => {
    const bytes = /^\/bytes\/(\d+)$/.exec(req.url);
    if (bytes) {
        sendBytes(res, Number(bytes[1]));
        return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
}).listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
