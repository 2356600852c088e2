import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithAdmin } from '../test/render';
import { DocumentUpload } from './DocumentUpload';

describe('DocumentUpload', () => {
    it('uploads a dropped file and follows progress until done', async () => {
        const states = [
            { id: 5, status: 'processing', progress: 0.25 },
            { id: 5, status: 'processing', progress: 0.75 },
            { id: 5, status: 'done', progress: 1, commitment_count: 3 },
        ];
        const seen: number[] = [];
        const getOne = vi.fn(async () => ({ data: states[Math.min(seen.push(1) - 1, states.length - 1)] }));
        const uploadDocument = vi.fn(async () => ({ id: 5, status: 'queued' }));
        renderWithAdmin(<DocumentUpload pollInterval={20} />, { dataProvider: { getOne, uploadDocument } });

        const file = new File(['Nous nous engageons à renouveler le mandat du FGI.'], 'engagements.txt', { type: 'text/plain' });
        fireEvent.drop(await screen.findByTestId('dropzone'), { dataTransfer: { files: [file] } });
        expect(screen.getByTestId('selected-file')).toHaveTextContent('engagements.txt');
        fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Test' } });
        fireEvent.click(screen.getByRole('button', { name: /Upload and analyse/ }));

        const bar = await screen.findByRole('progressbar', { name: 'Analysis progress' });
        await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '25'));
        await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Analysis progress' })).toHaveAttribute('aria-valuenow', '75'));
        expect(await screen.findByTestId('upload-done')).toHaveTextContent('3 commitments extracted');
        expect(screen.getByRole('progressbar', { name: 'Analysis progress' })).toHaveAttribute('aria-valuenow', '100');
        expect(uploadDocument).toHaveBeenCalledWith(file, { title: 'Test', language: undefined }); // detected by the server
        expect(getOne).toHaveBeenCalledWith('documents', { id: 5 });
        const calls = getOne.mock.calls.length;
        await new Promise(r => setTimeout(r, 80));
        expect(getOne.mock.calls.length).toBe(calls); // polling stopped
        expect(screen.getByRole('link', { name: 'View the document' })).toHaveAttribute('href', '#/documents/5/show');
    });

    it('shows the error when the analysis fails', async () => {
        const getOne = vi.fn(async () => ({ data: { id: 6, status: 'failed', progress: 0.4, error: 'Unreadable PDF' } }));
        const uploadDocument = vi.fn(async () => ({ id: 6, status: 'queued' }));
        renderWithAdmin(<DocumentUpload pollInterval={10} />, { dataProvider: { getOne, uploadDocument } });
        const input = (await screen.findByLabelText('Choose a file')) as HTMLInputElement;
        fireEvent.change(input, { target: { files: [new File(['%PDF'], 'x.pdf')] } });
        fireEvent.click(screen.getByRole('button', { name: /Upload and analyse/ }));
        expect(await screen.findByTestId('upload-failed')).toHaveTextContent('Unreadable PDF');
    });
});
