import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { RecordContextProvider } from 'react-admin';
import { renderWithAdmin } from '../test/render';
import { DocumentTextView } from './DocumentShow';

const text = 'Préambule. Nous nous engageons à renouveler le mandat du FGI. Fin.';

describe('DocumentTextView', () => {
    it('highlights extracted commitments and opens the consolidated commitment', async () => {
        const getDocumentText = vi.fn(async () => ({
            text,
            commitments: [{ id: 'abc123', commitment_id: 42, start: 11, end: 61, text: text.slice(11, 61), kind: 'engagement', topics: ['igf_mandate'] }],
        }));
        renderWithAdmin(
            <RecordContextProvider value={{ id: 3, status: 'done', progress: 1 }}>
                <DocumentTextView />
            </RecordContextProvider>,
            { dataProvider: { getDocumentText } }
        );
        const mark = await screen.findByRole('button', { name: /Open commitment: Nous nous engageons/ });
        expect(mark).toHaveTextContent('Nous nous engageons à renouveler le mandat du FGI.');
        expect(getDocumentText).toHaveBeenCalledWith(3);
        expect(screen.getByText(/Engagement · IGF mandate/)).toBeInTheDocument();
        fireEvent.click(mark);
        await waitFor(() => expect(window.location.hash).toBe('#/commitments/42/show'));
    });

    it('waits for the analysis before asking for the text', async () => {
        const getDocumentText = vi.fn();
        renderWithAdmin(
            <RecordContextProvider value={{ id: 4, status: 'processing', progress: 0.5 }}>
                <DocumentTextView />
            </RecordContextProvider>,
            { dataProvider: { getDocumentText } }
        );
        expect(await screen.findByRole('progressbar')).toHaveAttribute('aria-valuenow', '50');
        expect(getDocumentText).not.toHaveBeenCalled();
    });
});
