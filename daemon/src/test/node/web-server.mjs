// The proxy benchmark's second server: a plain node:http server on the run's container port, answering
// every request with the same small text, as an actor's own web server would (keep-alive as node does).
import http from 'node:http';

const port = Number(process.env.ACTOR_WEB_SERVER_PORT || process.env.APIFY_CONTAINER_PORT || 4321);
const body = 'Hello from node.js\n';
http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
}).listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
