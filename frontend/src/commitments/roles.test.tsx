import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { RecordContextProvider, ResourceContextProvider } from 'react-admin';
import { renderWithAdmin } from '../test/render';
import { CommitmentShowActions } from './CommitmentShow';

const record = { id: 1, title: 'T', status: 'not_assessed', version: 1 };

const renderActions = (role: string) =>
    renderWithAdmin(
        <ResourceContextProvider value="commitments">
            <RecordContextProvider value={record}>
                <CommitmentShowActions />
            </RecordContextProvider>
        </ResourceContextProvider>,
        { role, dataProvider: { getList: async () => ({ data: [], total: 0 }) } }
    );

describe('role-based controls on a commitment', () => {
    it('a viewer sees no edit and no change-status control', async () => {
        renderActions('viewer');
        await new Promise(r => setTimeout(r, 50));
        expect(screen.queryByRole('button', { name: /Change status/ })).toBeNull();
        expect(screen.queryByRole('link', { name: /Edit/ })).toBeNull();
        expect(screen.queryByRole('button', { name: /Add evidence/ })).toBeNull();
    });

    it('a monitor sees Edit and Change status', async () => {
        renderActions('monitor');
        await waitFor(() => expect(screen.getByRole('button', { name: /Change status/ })).toBeInTheDocument());
        expect(screen.getByRole('link', { name: /Edit/ })).toBeInTheDocument();
        expect(screen.getByRole('button', { name: /Add evidence/ })).toBeInTheDocument();
    });
});
