import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { HttpError } from 'react-admin';
import { renderWithAdmin } from '../test/render';
import { ChangeStatusDialog, validateStatusChange, emptyValues } from './ChangeStatusDialog';

const record = { id: 7, status: 'in_progress', version: 3, title: 'Renouveler le mandat du FGI' };

const setup = (create = vi.fn(async (_r: string, { data }: any) => ({ data: { id: 99, ...data } }))) => {
    const onChanged = vi.fn();
    const onClose = vi.fn();
    renderWithAdmin(<ChangeStatusDialog record={record} open onClose={onClose} onChanged={onChanged} />, {
        dataProvider: { create },
    });
    return { create, onChanged, onClose };
};

const fill = (label: RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('validateStatusChange', () => {
    it('requires a new status, a rationale, and evidence for achieved', () => {
        expect(validateStatusChange(emptyValues(), 'in_progress')).toMatchObject({
            to_status: 'suivi.status_dialog.required',
            rationale: 'suivi.status_dialog.required',
        });
        const achieved = { ...emptyValues(), to_status: 'achieved', rationale: 'done' };
        expect(validateStatusChange(achieved).evidence).toBe('suivi.status_dialog.evidence_required');
        expect(validateStatusChange({ ...achieved, evidence_ids: [4] })).toEqual({});
        expect(validateStatusChange({ ...achieved, evidence_url: 'https://example.org/r' })).toEqual({});
        expect(validateStatusChange({ ...achieved, evidence_url: 'not a url' }).evidence_url).toBe('suivi.status_dialog.invalid_url');
        expect(validateStatusChange({ ...emptyValues(), to_status: 'stalled', rationale: 'x' })).toEqual({});
        expect(validateStatusChange({ ...emptyValues(), to_status: 'in_progress', rationale: 'x' }, 'in_progress').to_status).toBe(
            'suivi.status_dialog.same_status'
        );
    });
});

describe('ChangeStatusDialog', () => {
    it('does not send without a status and a rationale', async () => {
        const { create } = setup();
        fireEvent.click(await screen.findByRole('button', { name: 'Save the change' }));
        expect(await screen.findAllByText('Required')).toHaveLength(2);
        expect(create).not.toHaveBeenCalled();
    });

    it('offers every status but the current one', async () => {
        setup();
        const select = (await screen.findByLabelText(/New status/)) as HTMLSelectElement;
        const values = [...select.options].map(o => o.value).filter(Boolean);
        expect(values).not.toContain('in_progress');
        expect(values).toContain('achieved');
    });

    it('requires evidence for achieved, client-side', async () => {
        const { create } = setup();
        fill(/New status/, 'achieved');
        fill(/Rationale/, 'Le mandat a été renouvelé en 2025.');
        expect(screen.getByTestId('evidence-hint')).toHaveTextContent('This status requires evidence');
        fireEvent.click(screen.getByRole('button', { name: 'Save the change' }));
        await waitFor(() => expect(screen.getByLabelText(/Evidence URL/)).toHaveAttribute('aria-invalid', 'true'));
        expect(create).not.toHaveBeenCalled();
    });

    it('sends the change with its evidence and expected_version', async () => {
        const { create, onChanged, onClose } = setup();
        fill(/New status/, 'achieved');
        fill(/Rationale/, 'Le mandat a été renouvelé en 2025.');
        fill(/Evidence URL/, 'https://www.un.org/fr/resolution');
        fill(/Evidence title/, 'Résolution de l’AG');
        fireEvent.click(screen.getByRole('button', { name: 'Save the change' }));
        await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
        const [resource, params] = create.mock.calls[0] as any[];
        expect(resource).toBe('status_changes');
        expect(params.data).toEqual({
            commitment_id: 7,
            to_status: 'achieved',
            rationale: 'Le mandat a été renouvelé en 2025.',
            expected_version: 3,
            evidence: { url: 'https://www.un.org/fr/resolution', title: 'Résolution de l’AG', excerpt: undefined },
        });
        await waitFor(() => expect(onChanged).toHaveBeenCalled());
        expect(onClose).toHaveBeenCalled();
    });

    it('sends a change without evidence where none is required', async () => {
        const { create } = setup();
        fill(/New status/, 'stalled');
        fill(/Rationale/, 'Aucun progrès depuis un an.');
        fireEvent.click(screen.getByRole('button', { name: 'Save the change' }));
        await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
        expect((create.mock.calls[0] as any[])[1].data).not.toHaveProperty('evidence');
    });

    it('explains a 409 (someone else changed the commitment)', async () => {
        const create = vi.fn(async () => {
            throw new HttpError('Version mismatch', 409, { detail: 'conflict', message: 'Version mismatch' });
        });
        const { onClose } = setup(create as any);
        fill(/New status/, 'stalled');
        fill(/Rationale/, 'x');
        fireEvent.click(screen.getByRole('button', { name: 'Save the change' }));
        expect(await screen.findByTestId('status-conflict')).toHaveTextContent('Someone else changed this commitment');
        expect(onClose).not.toHaveBeenCalled();
    });

    it('puts the API’s field errors on the fields (422)', async () => {
        const create = vi.fn(async () => {
            throw new HttpError('Evidence is required.', 422, { message: 'Evidence is required.', errors: { evidence: 'Evidence is required for achieved.' } });
        });
        setup(create as any);
        fill(/New status/, 'stalled');
        fill(/Rationale/, 'x');
        fireEvent.click(screen.getByRole('button', { name: 'Save the change' }));
        expect(await screen.findByText('Evidence is required for achieved.')).toBeInTheDocument();
    });
});
