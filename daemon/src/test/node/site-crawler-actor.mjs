// A crawlee CheerioCrawler over a site on the network (the fake internet's http://site.test/, written by
// FakeInternet.writeSite): every page of the start URL's host is enqueued (crawlee's default same-hostname
// strategy; links to other hosts are left alone) and pushed as one dataset item {url, title}. Input (all
// optional): startUrl (default http://site.test/), expectedPages (fail unless exactly that many pages were
// crawled, each once), maxConcurrency (default 4). Fails too when a request failed for good.
import { Actor } from 'apify';
import { CheerioCrawler } from 'crawlee';

await Actor.init();
const input = (await Actor.getInput()) ?? {};
const startUrl = input.startUrl ?? process.env.START_URL ?? 'http://site.test/';
const host = new URL(startUrl).hostname;
const visits = {};
const failed = [];
const crawler = new CheerioCrawler({
    requestQueue: await Actor.openRequestQueue(),
    maxConcurrency: input.maxConcurrency ?? 4,
    maxRequestRetries: 2,
    requestHandlerTimeoutSecs: 30,
    async requestHandler({ request, $, enqueueLinks }) {
        const url = request.loadedUrl ?? request.url;
        if (new URL(url).hostname !== host) {
            throw new Error(`left ${host} for ${url}`);
        }
        visits[url] = (visits[url] ?? 0) + 1;
        await Actor.pushData({ url, title: $('title').text() });
        await enqueueLinks({ strategy: 'same-hostname' });
    },
    failedRequestHandler({ request, error }) {
        failed.push(`${request.url}: ${error?.message}`);
    },
});
await crawler.run([startUrl]);
await Actor.setValue('VISITS', visits);
const urls = Object.keys(visits);
const twice = urls.filter((u) => visits[u] !== 1);
if (failed.length > 0) {
    await Actor.fail(`${failed.length} requests failed: ${failed.join('; ')}`);
} else if (input.expectedPages !== undefined && (urls.length !== input.expectedPages || twice.length > 0)) {
    await Actor.fail(`crawled ${urls.length} pages of ${input.expectedPages}, ${twice.length} more than once:`
        + ` ${JSON.stringify(visits)}`);
} else {
    console.log(`crawled ${urls.length} pages of ${host}`);
    await Actor.exit();
}
