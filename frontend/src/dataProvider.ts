import { fetchUtils, HttpError, type DataProvider, type Identifier } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import { getToken } from './authProvider';

export const API_URL = '/api';

const withAuth = (options: fetchUtils.Options = {}): fetchUtils.Options => {
    const token = getToken();
    return {
        ...options,
        user: { authenticated: !!token, token: token ? `Bearer ${token}` : undefined },
    };
};

/** fetchJson with the bearer token: errors carry the API's `message` and `errors`. */
export const httpClient = (url: string, options: fetchUtils.Options = {}) =>
    fetchUtils.fetchJson(url, withAuth(options));

/** A raw fetch with the bearer header, for blobs, text and multipart bodies. */
export const authFetch = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const token = getToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const response = await fetch(url, { ...init, headers });
    if (!response.ok) {
        let body: any = undefined;
        let message = response.statusText || `HTTP ${response.status}`;
        try {
            body = await response.json();
            if (body && typeof body.message === 'string') message = body.message;
        } catch {
            // not JSON
        }
        throw new HttpError(message, response.status, body);
    }
    return response;
};

export interface DocumentTextItem {
    id: Identifier;
    commitment_id?: Identifier | null;
    start: number;
    end: number;
    text: string;
    kind?: string;
    topics?: string[];
}

export interface Stats {
    total: number;
    by_status: Record<string, number>;
    by_topic: Record<string, number>;
    by_actor: Record<string, number>;
    by_kind: Record<string, number>;
    by_document: { document_id: Identifier; title: string; count: number }[];
    overdue: number;
    changes_by_month: { month: string; count: number }[];
    recent_changes: StatusChange[];
}

export interface StatusChange {
    id: Identifier;
    commitment_id: Identifier;
    from_status: string | null;
    to_status: string;
    rationale: string;
    evidence?: { id?: Identifier; url: string; title?: string; excerpt?: string }[];
    changed_by: string;
    changed_at: string;
    commitment_title?: string;
}

/** The Suivi-specific calls beside react-admin's CRUD ones. */
export interface SuiviDataProvider extends DataProvider {
    getStats(): Promise<Stats>;
    uploadDocument(file: File, options?: { title?: string; language?: string }): Promise<{ id: Identifier; status: string }>;
    getDocumentText(id: Identifier): Promise<{ text: string; commitments: DocumentTextItem[] }>;
    exportCommitments(filter: Record<string, unknown>, format?: 'csv' | 'json'): Promise<Blob>;
    getEvidenceArchive(id: Identifier): Promise<string>;
    testSubscription(id: Identifier): Promise<unknown>;
    rotateSubscriptionSecret(id: Identifier): Promise<{ secret: string }>;
    redeliver(id: Identifier): Promise<unknown>;
}

const base = simpleRestProvider(API_URL, httpClient);

const post = async (path: string) => {
    const { json } = await httpClient(`${API_URL}${path}`, { method: 'POST', body: '{}' });
    return json;
};

export const dataProvider: SuiviDataProvider = {
    ...base,
    async getStats() {
        const { json } = await httpClient(`${API_URL}/stats`);
        return json as Stats;
    },
    async uploadDocument(file, options = {}) {
        const form = new FormData();
        form.append('file', file);
        if (options.title) form.append('title', options.title);
        if (options.language) form.append('language', options.language);
        const response = await authFetch(`${API_URL}/documents`, { method: 'POST', body: form });
        return response.json();
    },
    async getDocumentText(id) {
        const { json } = await httpClient(`${API_URL}/documents/${encodeURIComponent(String(id))}/text`);
        return json;
    },
    async exportCommitments(filter, format = 'csv') {
        const query = new URLSearchParams({ format, filter: JSON.stringify(filter ?? {}) });
        const response = await authFetch(`${API_URL}/commitments/export?${query}`);
        return response.blob();
    },
    async getEvidenceArchive(id) {
        const response = await authFetch(`${API_URL}/evidence/${encodeURIComponent(String(id))}/archive`);
        const type = response.headers.get('Content-Type') ?? '';
        if (type.includes('json')) {
            const body = await response.json();
            return typeof body === 'string' ? body : String(body.text ?? body.content ?? JSON.stringify(body));
        }
        return response.text();
    },
    testSubscription: id => post(`/subscriptions/${encodeURIComponent(String(id))}/test`),
    rotateSubscriptionSecret: id => post(`/subscriptions/${encodeURIComponent(String(id))}/rotate_secret`),
    redeliver: id => post(`/deliveries/${encodeURIComponent(String(id))}/redeliver`),
};

export default dataProvider;
