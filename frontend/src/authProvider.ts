import type { AuthProvider } from 'react-admin';

export type Role = 'viewer' | 'monitor' | 'admin';

export const TOKEN_KEY = 'suivi.token';
export const ROLE_KEY = 'suivi.role';
export const USERNAME_KEY = 'suivi.username';

export const getToken = () => localStorage.getItem(TOKEN_KEY);

const clear = () => {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(ROLE_KEY);
    localStorage.removeItem(USERNAME_KEY);
};

/** Roles that may change data (upload, edit, change status, add evidence). */
export const canEdit = (role: unknown) => role === 'monitor' || role === 'admin';
export const isAdmin = (role: unknown) => role === 'admin';

/**
 * Bearer-token auth against POST /api/auth/login. The token, role and user name
 * are kept in localStorage; a 401 from the API logs out, a 403 does not (the user
 * is known but lacks the role).
 */
export const authProvider: AuthProvider = {
    async login({ username, password }: { username: string; password: string }) {
        const response = await fetch('/api/auth/login', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
            body: JSON.stringify({ username, password }),
        });
        let body: Record<string, unknown> = {};
        try {
            body = await response.json();
        } catch {
            // not JSON: keep the generic message below
        }
        if (!response.ok) {
            const message =
                typeof body.message === 'string'
                    ? body.message
                    : typeof body.detail === 'string'
                      ? body.detail
                      : 'ra.auth.sign_in_error';
            throw new Error(message);
        }
        localStorage.setItem(TOKEN_KEY, String(body.access_token));
        localStorage.setItem(ROLE_KEY, String(body.role ?? 'viewer'));
        localStorage.setItem(USERNAME_KEY, String(body.username ?? username));
    },
    async logout() {
        clear();
    },
    async checkAuth() {
        if (!getToken()) throw new Error('ra.auth.auth_check_error');
    },
    async checkError(error: { status?: number }) {
        if (error?.status === 401) {
            clear();
            throw new Error('ra.notification.logged_out');
        }
    },
    async getPermissions() {
        return (localStorage.getItem(ROLE_KEY) as Role | null) ?? undefined;
    },
    async getIdentity() {
        const username = localStorage.getItem(USERNAME_KEY) ?? '';
        return { id: username, fullName: username };
    },
};

export default authProvider;
