import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { RecordContextProvider } from 'react-admin';
import { renderWithAdmin } from '../test/render';
import { SecretDialog } from './SecretDialog';
import { AttemptLog } from '../deliveries/DeliveryShow';

describe('SecretDialog', () => {
    it('shows the secret with a copy button', async () => {
        const writeText = vi.fn(async () => undefined);
        Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
        const onClose = vi.fn();
        renderWithAdmin(<SecretDialog secret="whsec_c2VjcmV0c2VjcmV0c2VjcmV0" onClose={onClose} />);
        expect(await screen.findByTestId('webhook-secret')).toHaveTextContent('whsec_c2VjcmV0c2VjcmV0c2VjcmV0');
        expect(screen.getByText(/it will never be shown again/)).toBeInTheDocument();
        fireEvent.click(screen.getByRole('button', { name: 'Copy secret' }));
        await waitFor(() => expect(writeText).toHaveBeenCalledWith('whsec_c2VjcmV0c2VjcmV0c2VjcmV0'));
        expect(await screen.findByRole('status')).toHaveTextContent('Secret copied');
        fireEvent.click(screen.getByRole('button', { name: 'I have copied the secret' }));
        expect(onClose).toHaveBeenCalled();
    });

    it('is closed without a secret', () => {
        renderWithAdmin(<SecretDialog secret={null} onClose={() => undefined} />);
        expect(screen.queryByTestId('webhook-secret')).toBeNull();
    });
});

describe('AttemptLog', () => {
    it('lists each attempt with code, latency, error and response', async () => {
        renderWithAdmin(
            <RecordContextProvider
                value={{
                    id: 1,
                    attempt_log: [
                        { at: '2026-11-22T07:43:26Z', response_code: 500, latency_ms: 12.4, error: 'HTTP 500', response_body: 'oops' },
                        { at: '2026-11-22T07:43:31Z', response_code: 204, latency_ms: 5, error: null, response_body: '' },
                    ],
                }}
            >
                <AttemptLog />
            </RecordContextProvider>
        );
        const table = await screen.findByTestId('attempt-log');
        const rows = table.querySelectorAll('tbody tr');
        expect(rows).toHaveLength(2);
        expect(rows[0]).toHaveTextContent('500');
        expect(rows[0]).toHaveTextContent('12');
        expect(rows[0]).toHaveTextContent('HTTP 500');
        expect(rows[0]).toHaveTextContent('oops');
        expect(rows[1]).toHaveTextContent('204');
    });
});
