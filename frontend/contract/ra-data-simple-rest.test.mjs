// Drives the npm package ra-data-simple-rest exactly as the UI does, against a running Suivi
// (SUIVI_URL, SUIVI_ADMIN_PASSWORD), and checks every result. Run by tests/test_ra_contract.py.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils } from 'ra-core';

const base = process.env.SUIVI_URL ?? 'http://127.0.0.1:8000';
let provider;

before(async () => {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: process.env.SUIVI_ADMIN_PASSWORD }),
  });
  assert.equal(response.status, 200);
  const { access_token: token } = await response.json();
  const httpClient = (url, options = {}) =>
    fetchUtils.fetchJson(url, { ...options, user: { authenticated: true, token: `Bearer ${token}` } });
  provider = simpleRestProvider(`${base}/api`, httpClient);
});

const texts = [
  'Nous nous engageons à renouveler le mandat du Forum sur la gouvernance de l’Internet.',
  'Nous appelons les donateurs à assurer un financement durable du FGI.',
  'Les initiatives nationales et régionales devraient coopérer étroitement avec le FGI.',
  'Veiller à la complémentarité du Pacte numérique mondial et des lignes d’action du SMSI.',
];
const topics = [['igf_mandate'], ['funding'], ['nri_coordination'], ['gdc_wsis_alignment']];
const ids = [];

test('create', async () => {
  for (const [i, text] of texts.entries()) {
    const { data } = await provider.create('commitments', { data: { text, kind: 'engagement', topics: topics[i] } });
    assert.equal(data.text, text);
    assert.equal(data.status, 'not_assessed');
    assert.equal(typeof data.id, 'number');
    ids.push(data.id);
  }
});

test('getList sorts, pages and counts', async () => {
  const { data, total } = await provider.getList('commitments', {
    pagination: { page: 1, perPage: 2 },
    sort: { field: 'id', order: 'DESC' },
    filter: { id: ids },
  });
  assert.equal(total, 4);
  assert.deepEqual(data.map((c) => c.id), [ids[3], ids[2]]);
  const second = await provider.getList('commitments', {
    pagination: { page: 2, perPage: 2 },
    sort: { field: 'id', order: 'DESC' },
    filter: { id: ids },
  });
  assert.deepEqual(second.data.map((c) => c.id), [ids[1], ids[0]]);
});

test('getList filters with q, with arrays and with a topic', async () => {
  const byText = await provider.getList('commitments', {
    pagination: { page: 1, perPage: 25 },
    sort: { field: 'id', order: 'ASC' },
    filter: { q: 'donateurs financement', id: ids },
  });
  assert.deepEqual(byText.data.map((c) => c.id), [ids[1]]);
  const byTopic = await provider.getList('commitments', {
    pagination: { page: 1, perPage: 25 },
    sort: { field: 'id', order: 'ASC' },
    filter: { topics: ['nri_coordination', 'gdc_wsis_alignment'], id: ids },
  });
  assert.deepEqual(byTopic.data.map((c) => c.id), [ids[2], ids[3]]);
});

test('getOne and getMany', async () => {
  const { data } = await provider.getOne('commitments', { id: ids[0] });
  assert.equal(data.text, texts[0]);
  const many = await provider.getMany('commitments', { ids: [ids[0], ids[2]] });
  assert.deepEqual(many.data.map((c) => c.id).sort((a, b) => a - b), [ids[0], ids[2]]);
});

test('update with the current version, 409 with a stale one', async () => {
  const { data: current } = await provider.getOne('commitments', { id: ids[0] });
  const { data } = await provider.update('commitments', {
    id: ids[0],
    data: { ...current, title: 'Renouveler le mandat du FGI' },
    previousData: current,
  });
  assert.equal(data.title, 'Renouveler le mandat du FGI');
  assert.equal(data.version, current.version + 1);
  await assert.rejects(
    provider.update('commitments', { id: ids[0], data: { ...current, title: 'x' }, previousData: current }),
    (error) => error.status === 409 && /version/.test(error.message),
  );
});

test('status changes and getManyReference for the history', async () => {
  const { data: current } = await provider.getOne('commitments', { id: ids[1] });
  const { data: change } = await provider.create('status_changes', {
    data: {
      commitment_id: ids[1],
      to_status: 'in_progress',
      rationale: 'Un fonds fiduciaire a été ouvert.',
      expected_version: current.version,
    },
  });
  assert.equal(change.to_status, 'in_progress');
  const history = await provider.getManyReference('status_changes', {
    target: 'commitment_id',
    id: ids[1],
    pagination: { page: 1, perPage: 10 },
    sort: { field: 'changed_at', order: 'DESC' },
    filter: {},
  });
  assert.equal(history.total, 1);
  assert.equal(history.data[0].rationale, 'Un fonds fiduciaire a été ouvert.');
  await assert.rejects(
    provider.create('status_changes', {
      data: { commitment_id: ids[1], to_status: 'achieved', rationale: 'Fait', expected_version: current.version + 1 },
    }),
    (error) => error.status === 422 && Boolean(error.body.errors.evidence),
  );
});

test('updateMany sends only the changed fields', async () => {
  const { data } = await provider.updateMany('commitments', { ids: [ids[2], ids[3]], data: { deadline: '2030' } });
  assert.deepEqual([...data].sort((a, b) => a - b), [ids[2], ids[3]]);
  const many = await provider.getMany('commitments', { ids: [ids[2], ids[3]] });
  assert.ok(many.data.every((c) => c.deadline === '2030'));
});

test('delete and deleteMany', async () => {
  const { data } = await provider.delete('commitments', { id: ids[3], previousData: { id: ids[3] } });
  assert.equal(data.id, ids[3]);
  const removed = await provider.deleteMany('commitments', { ids: [ids[2]] });
  assert.deepEqual(removed.data, [ids[2]]);
  const { total } = await provider.getList('commitments', {
    pagination: { page: 1, perPage: 25 },
    sort: { field: 'id', order: 'ASC' },
    filter: { id: ids },
  });
  assert.equal(total, 2);
  await assert.rejects(provider.getOne('commitments', { id: ids[3] }), (error) => error.status === 404);
});
