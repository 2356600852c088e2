import { afterEach, describe, expect, it, vi } from 'vitest';
import { authProvider, ROLE_KEY, TOKEN_KEY, USERNAME_KEY, canEdit, isAdmin } from './authProvider';

const jsonResponse = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

afterEach(() => vi.unstubAllGlobals());

describe('authProvider', () => {
    it('logs in with JSON and stores token, role and user name', async () => {
        const fetchMock = vi.fn(async () =>
            jsonResponse(200, { access_token: 'tok123', token_type: 'bearer', role: 'monitor', username: 'marie' })
        );
        vi.stubGlobal('fetch', fetchMock);
        await authProvider.login({ username: 'marie', password: 'secret' });
        const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
        expect(url).toBe('/api/auth/login');
        expect(init.method).toBe('POST');
        expect(JSON.parse(String(init.body))).toEqual({ username: 'marie', password: 'secret' });
        expect(localStorage.getItem(TOKEN_KEY)).toBe('tok123');
        expect(localStorage.getItem(ROLE_KEY)).toBe('monitor');
        expect(localStorage.getItem(USERNAME_KEY)).toBe('marie');
        expect(await authProvider.getPermissions!({})).toBe('monitor');
        await expect(authProvider.checkAuth({})).resolves.toBeUndefined();
        expect(await authProvider.getIdentity!()).toEqual({ id: 'marie', fullName: 'marie' });
    });

    it('rejects bad credentials with the API message and stores nothing', async () => {
        vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(401, { detail: 'bad', message: 'Wrong user name or password.' })));
        await expect(authProvider.login({ username: 'x', password: 'y' })).rejects.toThrow('Wrong user name or password.');
        expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
        await expect(authProvider.checkAuth({})).rejects.toBeDefined();
    });

    it('logs out on 401 but not on 403', async () => {
        localStorage.setItem(TOKEN_KEY, 't');
        localStorage.setItem(ROLE_KEY, 'viewer');
        await expect(authProvider.checkError({ status: 403 })).resolves.toBeUndefined();
        expect(localStorage.getItem(TOKEN_KEY)).toBe('t');
        await expect(authProvider.checkError({ status: 401 })).rejects.toBeDefined();
        expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
        expect(await authProvider.getPermissions!({})).toBeUndefined();
    });

    it('logout clears the stored session', async () => {
        localStorage.setItem(TOKEN_KEY, 't');
        await authProvider.logout({});
        expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
    });

    it('maps roles to rights', () => {
        expect(canEdit('viewer')).toBe(false);
        expect(canEdit('monitor')).toBe(true);
        expect(canEdit('admin')).toBe(true);
        expect(isAdmin('monitor')).toBe(false);
        expect(isAdmin('admin')).toBe(true);
    });
});
