// Actor Standby with the published SDK, as its docs write one: started with meta.origin STANDBY it serves
// HTTP on the standby port and answers each request with what the SDK read of its environment; started any
// other way it exits at once with a status message.
import http from 'node:http';
import { Actor } from 'apify';

await Actor.init();
const config = Actor.config;
if (config.get('metaOrigin') !== 'STANDBY') {
    await Actor.exit('not started in standby mode');
}
const port = Number(config.get('standbyPort') ?? process.env.ACTOR_STANDBY_PORT);
http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
        metaOrigin: config.get('metaOrigin'),
        standbyPort: String(config.get('standbyPort')),
        standbyUrl: config.get('standbyUrl'),
        runId: process.env.ACTOR_RUN_ID,
        sdkRunId: config.get('actorRunId'),
        url: req.url,
        readinessProbe: req.headers['x-apify-container-server-readiness-probe'] ?? null,
    }));
}).listen(port, () => console.log(`standby server listening on ${port}`));
