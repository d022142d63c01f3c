// A crawlee CheerioCrawler in a run, crawling a small site served by the same run through the run's
// default request queue. Fails (exit 1) unless every page was visited exactly once.
import http from 'node:http';
import { Actor } from 'apify';
import { CheerioCrawler } from 'crawlee';

const PAGES = 20;
const links = (n) => [0, 1, 2].map((k) => `/page/${(n * 3 + k + 1) % PAGES}`).concat(['/', '/page/0']);
const server = http.createServer((req, res) => {
    const n = req.url === '/' ? 'home' : Number(req.url.split('/').pop());
    const out = (n === 'home' ? ['/page/0'] : links(n)).map((l) => `<a href="${l}">${l}</a>`).join('\n');
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<html><head><title>page ${n}</title></head><body>${out}</body></html>`);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

await Actor.init();
const requestQueue = await Actor.openRequestQueue();
const visits = {};
const crawler = new CheerioCrawler({
    requestQueue,
    maxConcurrency: 4,
    async requestHandler({ request, $, enqueueLinks }) {
        const path = new URL(request.loadedUrl ?? request.url).pathname;
        visits[path] = (visits[path] ?? 0) + 1;
        await Actor.pushData({ path, title: $('title').text() });
        await enqueueLinks();
    },
});
await crawler.run([`${base}/`]);
server.close();
await Actor.setValue('VISITS', visits);
const paths = Object.keys(visits);
const twice = paths.filter((p) => visits[p] !== 1);
if (paths.length !== PAGES + 1 || twice.length > 0) {
    await Actor.fail(`visited ${paths.length} pages, ${twice.length} more than once: ${JSON.stringify(visits)}`);
}
await Actor.exit();
