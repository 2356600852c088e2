// Browser end-to-end tests of the Suivi UI against a running `suivi run`.
//
//   SUIVI_E2E_URL              base URL (default http://127.0.0.1:8000)
//   SUIVI_E2E_ADMIN_PASSWORD   password of the `admin` user (required)
//   SUIVI_E2E_HOOK_URL         webhook target for the subscription test; when unset, a
//                              receiver is started on 127.0.0.1 (the backend then needs
//                              SUIVI_ALLOW_PRIVATE_ADDRESSES=1)
//   SUIVI_E2E_SCREENSHOTS=1    write docs/screenshots/{dashboard,commitment,document}.png
//   SUIVI_E2E_CHROMIUM         browser binary (default /usr/bin/chromium)
//
// Run: node --test e2e/run.mjs   (or: npm run e2e)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

const BASE = (process.env.SUIVI_E2E_URL || 'http://127.0.0.1:8000').replace(/\/$/, '');
const ADMIN_PASSWORD = process.env.SUIVI_E2E_ADMIN_PASSWORD;
const SCREENSHOTS = process.env.SUIVI_E2E_SCREENSHOTS === '1';
const CHROMIUM = process.env.SUIVI_E2E_CHROMIUM || '/usr/bin/chromium';
const HERE = dirname(fileURLToPath(import.meta.url));
const SHOTS_DIR = join(HERE, '..', '..', 'docs', 'screenshots');
const ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];
const STAMP = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const STEP = { timeout: 240_000 };

const state = {
    adminToken: null,
    monitor: { username: `e2e-monitor-${STAMP}`, password: randomBytes(12).toString('hex') },
    viewer: { username: `e2e-viewer-${STAMP}`, password: randomBytes(12).toString('hex') },
    tmp: null,
    contexts: [],
    hook: null,
    hookUrl: process.env.SUIVI_E2E_HOOK_URL || null,
    received: [],
    documentId: null,
    commitmentId: null,
    commitmentTitle: null,
    rationale: `Résolution adoptée : mandat renouvelé (e2e ${STAMP}).`,
    subscriptionId: null,
};

// ---------------------------------------------------------------- helpers

async function api(path, { method = 'GET', body, token = state.adminToken } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json = null;
    try {
        json = text ? JSON.parse(text) : null;
    } catch {
        json = text;
    }
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
    return json;
}

async function newPage(locale) {
    const dir = await mkdtemp(join(state.tmp, 'profile-'));
    const context = await chromium.launchPersistentContext(dir, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
        locale,
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
    });
    state.contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    page.on('pageerror', error => console.error(`[${locale}] page error:`, error.message));
    return page;
}

async function login(page, { username, password }) {
    await page.goto(`${BASE}/#/login`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="stat-total"]').waitFor({ timeout: 30_000 });
}

async function shot(page, name, { fullPage = false } = {}) {
    if (!SCREENSHOTS) return;
    await mkdir(SHOTS_DIR, { recursive: true });
    // Let notifications fade out first.
    await page.locator('.MuiSnackbar-root').first().waitFor({ state: 'detached', timeout: 8000 }).catch(() => {});
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SHOTS_DIR, name), fullPage });
}

/** Reloads `url` until `selector` shows up: events travel between services asynchronously. */
async function gotoUntil(page, url, selector, { tries = 30, wait = 2000 } = {}) {
    for (let i = 0; i < tries; i++) {
        await page.goto(url);
        try {
            await page.locator(selector).first().waitFor({ timeout: wait + 3000 });
            return;
        } catch {
            await page.waitForTimeout(wait);
        }
    }
    throw new Error(`${selector} never appeared at ${url}`);
}

// ---------------------------------------------------------------- setup

before(async () => {
    assert.ok(ADMIN_PASSWORD, 'set SUIVI_E2E_ADMIN_PASSWORD to the admin user’s password');
    state.tmp = await mkdtemp(join(tmpdir(), 'suivi-e2e-'));
    const ready = await fetch(`${BASE}/readyz`).catch(() => null);
    assert.ok(ready && ready.ok, `Suivi is not ready at ${BASE}/readyz`);
    const session = await api('/api/auth/login', { method: 'POST', body: { username: 'admin', password: ADMIN_PASSWORD }, token: null });
    assert.equal(session.role, 'admin');
    state.adminToken = session.access_token;
    for (const [role, user] of [['monitor', state.monitor], ['viewer', state.viewer]]) {
        await api('/api/users', { method: 'POST', body: { ...user, role, active: true } });
    }
    if (!state.hookUrl) {
        state.hook = createServer((req, res) => {
            const chunks = [];
            req.on('data', c => chunks.push(c));
            req.on('end', () => {
                state.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
                res.writeHead(204).end();
            });
        });
        await new Promise(resolve => state.hook.listen(0, '127.0.0.1', resolve));
        state.hookUrl = `http://127.0.0.1:${state.hook.address().port}/hook`;
    }
});

after(async () => {
    for (const context of state.contexts) await context.close().catch(() => {});
    if (state.hook) await new Promise(resolve => state.hook.close(resolve));
    if (state.tmp) await rm(state.tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------- monitor

let monitorPage;

test('monitor uploads a document and watches the progress bar reach done', STEP, async () => {
    monitorPage = await newPage('fr-FR');
    const page = monitorPage;
    await login(page, state.monitor);
    // French first: the browser prefers French.
    await page.getByRole('heading', { name: 'Suivi des engagements' }).waitFor();

    const file = join(state.tmp, `declaration-${STAMP}.txt`);
    await writeFile(
        file,
        [
            `Déclaration finale de la réunion de suivi (référence ${STAMP})`,
            '',
            "1. Nous nous engageons à renouveler le mandat du Forum sur la gouvernance de l'Internet.",
            '',
            "2. Nous appelons les donateurs à assurer un financement durable du Forum d'ici 2027.",
            '',
        ].join('\n'),
        'utf8'
    );
    await page.goto(`${BASE}/#/documents/create`);
    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByTestId('selected-file').waitFor();
    await page.getByLabel('Titre').fill(`Déclaration e2e ${STAMP}`);
    await page.getByRole('button', { name: 'Envoyer et analyser' }).click();

    const bar = page.getByRole('progressbar', { name: 'Avancement de l’analyse' });
    await bar.waitFor();
    const seen = new Set();
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
        seen.add(await bar.getAttribute('aria-valuenow'));
        if (await page.getByTestId('upload-done').isVisible()) break;
        if (await page.getByTestId('upload-failed').isVisible()) {
            assert.fail(`analysis failed: ${await page.getByTestId('upload-failed').textContent()}`);
        }
        await page.waitForTimeout(150);
    }
    await page.getByTestId('upload-done').waitFor({ timeout: 1000 });
    assert.equal(await bar.getAttribute('aria-valuenow'), '100');
    console.log('progress values seen:', [...seen].join(', '));

    await page.getByRole('link', { name: 'Voir le document' }).click();
    await page.waitForURL(/#\/documents\/[^/]+\/show/);
    state.documentId = decodeURIComponent(page.url().match(/#\/documents\/([^/]+)\/show/)[1]);
    const mark = page.locator('mark[role="button"]', { hasText: 'renouveler le mandat' });
    await mark.first().waitFor({ timeout: 30_000 });
    await shot(page, 'document.png');
});

test('monitor opens the commitment from the document view', STEP, async () => {
    const page = monitorPage;
    await page.locator('mark[role="button"]', { hasText: 'renouveler le mandat' }).first().click();
    await page.waitForURL(/#\/commitments\/[^/]+\/show/);
    const url = page.url();
    state.commitmentId = decodeURIComponent(url.match(/#\/commitments\/([^/]+)\/show/)[1]);
    // The commitment reaches the commitments service through events: wait for it.
    await gotoUntil(page, url, '[data-testid="commitment-text"]');
    assert.match(await page.getByTestId('commitment-text').textContent(), /renouveler le mandat/);
    state.commitmentTitle = (await page.getByTestId('commitment-title').textContent())?.trim();
    // Its source links back to the document at its offsets.
    const source = page.locator(`[data-testid="sources"] a[href*="#/documents/${state.documentId}/show"]`);
    assert.ok((await source.count()) >= 1, 'a source links to the uploaded document');
});

test('monitor changes its status with evidence and finds the change in the history', STEP, async () => {
    const page = monitorPage;
    await page.getByTestId('change-status').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // The same commitment may already be achieved (consolidated across runs): pick
    // the first status needing evidence that is not the current one.
    const options = await dialog.locator('#to_status option').evaluateAll(os => os.map(o => o.value));
    const target = ['achieved', 'partially_achieved', 'abandoned'].find(s => options.includes(s));
    state.targetLabel = { achieved: 'Tenu', partially_achieved: 'Partiellement tenu', abandoned: 'Abandonné' }[target];
    await dialog.locator('#to_status').selectOption(target);
    await dialog.locator('#rationale').fill(state.rationale);
    // Evidence is required for "achieved": the dialog refuses to send without it.
    await dialog.getByRole('button', { name: 'Enregistrer le changement' }).click();
    await page.waitForTimeout(300);
    assert.equal(await dialog.locator('#evidence_url').getAttribute('aria-invalid'), 'true');
    await dialog.locator('#evidence_url').fill('https://www.intgovforum.org/fr');
    await dialog.locator('#evidence_title').fill(`Site du FGI ${STAMP}`);
    await dialog.locator('#evidence_excerpt').fill('Le mandat du FGI est renouvelé.');
    await dialog.getByRole('button', { name: 'Enregistrer le changement' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    const item = page.getByTestId('status-history-item').filter({ hasText: state.rationale });
    await item.waitFor({ timeout: 30_000 });
    assert.ok((await item.textContent()).includes(state.targetLabel), `history shows ${state.targetLabel}`);
    await page.getByTestId('evidence-list').getByText(`Site du FGI ${STAMP}`).waitFor();
    await shot(page, 'commitment.png');
});

test('monitor finds the change on the dashboard', STEP, async () => {
    const page = monitorPage;
    await gotoUntil(page, `${BASE}/#/`, `[data-testid="recent-changes"] a[href="#/commitments/${encodeURIComponent(state.commitmentId)}/show"]`, {
        tries: 10,
    });
    await page.getByTestId('mission-igf_mandate').waitFor();
    await shot(page, 'dashboard.png', { fullPage: true });
});

test('monitor edits the commitment and is told clearly when someone else changed it first', STEP, async () => {
    const page = monitorPage;
    const id = encodeURIComponent(state.commitmentId);
    await page.goto(`${BASE}/#/commitments/${id}`);
    const title = page.locator('input[name="title"]');
    await title.waitFor();
    await title.fill(`Renouveler le mandat du FGI (${STAMP})`);
    // Meanwhile, someone else saves the commitment: its version moves on.
    const current = await api(`/api/commitments/${id}`);
    await api(`/api/commitments/${id}`, { method: 'PUT', body: { title: current.title, version: current.version } });
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Quelqu’un d’autre a modifié cet engagement').waitFor({ timeout: 15_000 });
    // After a reload the same edit goes through.
    await page.reload();
    await title.waitFor();
    await title.fill(`Renouveler le mandat du FGI (${STAMP})`);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/#\/commitments\/[^/]+\/show/);
    await page.getByTestId('commitment-title').filter({ hasText: STAMP }).waitFor();
    state.commitmentTitle = `Renouveler le mandat du FGI (${STAMP})`;
});

// ---------------------------------------------------------------- viewer

test('a viewer finds no edit control', STEP, async () => {
    const page = await newPage('en-US');
    await login(page, state.viewer);
    await page.goto(`${BASE}/#/commitments/${encodeURIComponent(state.commitmentId)}/show`);
    await page.getByTestId('commitment-text').waitFor();
    await page.getByTestId('status-history-item').first().waitFor();
    assert.equal(await page.getByTestId('change-status').count(), 0, 'no Change status button');
    assert.equal(await page.getByTestId('add-evidence').count(), 0, 'no Add evidence button');
    assert.equal(await page.locator('a[href$="/edit"]').count(), 0, 'no Edit link');
    assert.equal(await page.getByRole('button', { name: /delete/i }).count(), 0, 'no Delete button');
    // Viewers may export what they read.
    await page.goto(`${BASE}/#/commitments`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    await page.goto(`${BASE}/#/documents`);
    await page.locator('table, ul').first().waitFor();
    assert.equal(await page.locator('a[href="#/documents/create"]').count(), 0, 'no upload button');
    assert.equal(await page.getByRole('menuitem', { name: /Users/ }).count(), 0, 'no Users menu');
    assert.equal(await page.getByRole('menuitem', { name: /Deliveries/ }).count(), 0, 'no Deliveries menu');
    await page.goto(`${BASE}/#/commitments/${encodeURIComponent(state.commitmentId)}`);
    await page.waitForTimeout(1000);
    assert.equal(await page.locator('form input[name="title"]').count(), 0, 'no edit form');
    // English (the browser's language) can be switched to French.
    await page.getByRole('button', { name: 'Language : English' }).click();
    await page.getByRole('menuitem', { name: 'Français' }).click();
    await page.getByRole('menuitem', { name: /Engagements/ }).waitFor();
    assert.equal(await page.locator('form input[name="title"]').count(), 0, 'no edit form');
});

// ---------------------------------------------------------------- admin

test('an admin creates a subscription, sees its secret once and its delivery in the log', STEP, async () => {
    const page = await newPage('en-US');
    await login(page, { username: 'admin', password: ADMIN_PASSWORD });
    await page.goto(`${BASE}/#/subscriptions/create`);
    await page.locator('input[name="url"]').fill(state.hookUrl);
    await page.locator('input[name="description"]').fill(`e2e ${STAMP}`);
    await page.getByRole('button', { name: 'Save' }).click();

    const secret = page.getByTestId('webhook-secret');
    await secret.waitFor({ timeout: 30_000 });
    assert.match((await secret.textContent()).trim(), /^whsec_/);
    await page.getByRole('button', { name: 'Copy secret' }).click();
    await page.getByRole('button', { name: 'I have copied the secret' }).click();
    await page.waitForURL(/#\/subscriptions\/[^/]+$/);
    state.subscriptionId = decodeURIComponent(page.url().match(/#\/subscriptions\/([^/?]+)$/)[1]);

    await page.getByRole('button', { name: /Send test/ }).click();
    await page.getByText('Test event sent').waitFor();

    const filter = encodeURIComponent(JSON.stringify({ subscription_id: isNaN(+state.subscriptionId) ? state.subscriptionId : +state.subscriptionId }));
    await gotoUntil(page, `${BASE}/#/deliveries?filter=${filter}`, 'table tbody tr td', { tries: 20 });
    const row = page.locator('table tbody tr').first();
    await row.click();
    await page.waitForURL(/#\/deliveries\/[^/]+\/show/);
    const deliveryUrl = page.url();
    // Wait for the attempt to be logged.
    await gotoUntil(page, deliveryUrl, '[data-testid="attempt-log"]', { tries: 20 });
    await page.getByRole('button', { name: /Redeliver/ }).first().click();
    await page.getByText('Redelivery scheduled').waitFor();
    if (state.hook) {
        const deadline = Date.now() + 30_000;
        while (!state.received.length && Date.now() < deadline) await new Promise(r => setTimeout(r, 250));
        assert.ok(state.received.length >= 1, 'the webhook receiver got a call');
        assert.match(String(state.received[0].headers['webhook-signature'] ?? ''), /^v1,/);
    }
});
