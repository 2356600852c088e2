import { useEffect, useRef, useState, type DragEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, LinearProgress, MenuItem, Stack, TextField, Typography } from '@mui/material';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Link as RouterLink } from 'react-router-dom';
import { Title, useDataProvider, useTranslate, type Identifier } from 'react-admin';
import type { SuiviDataProvider } from '../dataProvider';
import { LANGUAGES } from '../vocabularies';

type Phase = 'idle' | 'uploading' | 'processing' | 'done' | 'failed';

interface DocumentState {
    id?: Identifier;
    status?: string;
    progress?: number;
    commitment_count?: number;
    error?: string | null;
}

/**
 * Drag-and-drop upload of a document, then a progress bar that follows the
 * document's `progress` by polling GET /api/documents/<id> until done or failed.
 */
export const DocumentUpload = ({ pollInterval = 1000 }: { pollInterval?: number }) => {
    const translate = useTranslate();
    const dataProvider = useDataProvider<SuiviDataProvider>();
    const [file, setFile] = useState<File | null>(null);
    const [title, setTitle] = useState('');
    const [language, setLanguage] = useState('auto');
    const [dragging, setDragging] = useState(false);
    const [phase, setPhase] = useState<Phase>('idle');
    const [doc, setDoc] = useState<DocumentState>({});
    const [error, setError] = useState<string | null>(null);
    const inputRef = useRef<HTMLInputElement>(null);
    const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

    useEffect(() => () => clearTimeout(timer.current), []);

    const poll = (id: Identifier) => {
        timer.current = setTimeout(async () => {
            try {
                const { data } = await dataProvider.getOne('documents', { id });
                setDoc(data);
                if (data.status === 'done') setPhase('done');
                else if (data.status === 'failed') setPhase('failed');
                else poll(id);
            } catch (e: any) {
                setError(e?.message ?? String(e));
                setPhase('failed');
            }
        }, pollInterval);
    };

    const upload = async () => {
        if (!file) return;
        setError(null);
        setPhase('uploading');
        try {
            const created = await dataProvider.uploadDocument(file, {
                title: title || undefined,
                language: language === 'auto' ? undefined : language,
            });
            setDoc({ id: created.id, status: created.status, progress: 0 });
            if (created.status === 'done') {
                // The same file again: the document already exists; fetch its counts.
                const { data } = await dataProvider.getOne('documents', { id: created.id });
                setDoc(data);
                setPhase(data.status === 'failed' ? 'failed' : data.status === 'done' ? 'done' : 'processing');
                if (data.status !== 'done' && data.status !== 'failed') poll(created.id);
            } else {
                setPhase('processing');
                poll(created.id);
            }
        } catch (e: any) {
            setError(e?.message ?? String(e));
            setPhase('idle');
        }
    };

    const onDrop = (event: DragEvent) => {
        event.preventDefault();
        setDragging(false);
        const dropped = event.dataTransfer?.files?.[0];
        if (dropped) setFile(dropped);
    };

    const reset = () => {
        clearTimeout(timer.current);
        setFile(null);
        setTitle('');
        setDoc({});
        setPhase('idle');
        setError(null);
    };

    const percent = Math.round(Math.max(0, Math.min(1, doc.progress ?? 0)) * 100);
    const busy = phase === 'uploading' || phase === 'processing';

    return (
        <Card sx={{ mt: 2, maxWidth: 760 }}>
            <Title title="suivi.documents.upload_title" />
            <CardContent>
                <Typography variant="h5" component="h1" gutterBottom>
                    {translate('suivi.documents.upload_title')}
                </Typography>
                <Box
                    data-testid="dropzone"
                    onDragOver={e => {
                        e.preventDefault();
                        setDragging(true);
                    }}
                    onDragLeave={() => setDragging(false)}
                    onDrop={onDrop}
                    sx={{
                        border: '2px dashed',
                        borderColor: dragging ? 'primary.main' : 'divider',
                        bgcolor: dragging ? 'action.hover' : 'transparent',
                        borderRadius: 2,
                        p: 4,
                        textAlign: 'center',
                        mb: 2,
                    }}
                >
                    <UploadFileIcon fontSize="large" color="action" aria-hidden />
                    <Typography>{translate('suivi.documents.drop_here')}</Typography>
                    <Typography variant="body2" color="text.secondary" sx={{ my: 1 }}>
                        {translate('suivi.documents.or')}
                    </Typography>
                    <Button variant="outlined" disabled={busy} onClick={() => inputRef.current?.click()}>
                        {translate('suivi.documents.choose_file')}
                    </Button>
                    <input
                        ref={inputRef}
                        hidden
                        type="file"
                        name="file"
                        aria-label={translate('suivi.documents.choose_file')}
                        accept=".txt,.text,.md,.pdf,.docx,.html,.htm,text/plain,application/pdf,text/html"
                        onChange={e => setFile(e.target.files?.[0] ?? null)}
                    />
                    {file && (
                        <Typography sx={{ mt: 1 }} data-testid="selected-file">
                            {translate('suivi.documents.selected', { name: file.name })}
                        </Typography>
                    )}
                </Box>
                <Stack direction={{ xs: 'column', sm: 'row' }} gap={2} sx={{ mb: 2 }}>
                    <TextField
                        label={translate('resources.documents.fields.title')}
                        value={title}
                        onChange={e => setTitle(e.target.value)}
                        disabled={busy}
                        fullWidth
                        inputProps={{ 'aria-label': translate('resources.documents.fields.title') }}
                    />
                    <TextField
                        select
                        label={translate('resources.documents.fields.language')}
                        value={language}
                        onChange={e => setLanguage(e.target.value)}
                        disabled={busy}
                        sx={{ minWidth: 160 }}
                        SelectProps={{ inputProps: { 'aria-label': translate('resources.documents.fields.language') } }}
                    >
                        {LANGUAGES.map(l => (
                            <MenuItem key={l.id} value={l.id}>
                                {translate(`suivi.language.${l.id}`)}
                            </MenuItem>
                        ))}
                    </TextField>
                </Stack>
                {phase === 'idle' && (
                    <Button variant="contained" onClick={upload} disabled={!file} startIcon={<UploadFileIcon />}>
                        {translate('suivi.documents.upload')}
                    </Button>
                )}
                {phase === 'uploading' && <Typography>{translate('suivi.documents.uploading')}</Typography>}
                {(phase === 'processing' || phase === 'done' || phase === 'failed') && (
                    <Box sx={{ mt: 2 }}>
                        <Typography id="upload-progress-label" gutterBottom>
                            {translate('suivi.documents.progress', { percent: phase === 'done' ? 100 : percent })}
                        </Typography>
                        <LinearProgress
                            variant="determinate"
                            value={phase === 'done' ? 100 : percent}
                            color={phase === 'failed' ? 'error' : phase === 'done' ? 'success' : 'primary'}
                            aria-label={translate('suivi.documents.progress_label')}
                            data-testid="upload-progress"
                            data-status={doc.status}
                        />
                    </Box>
                )}
                {phase === 'done' && (
                    <Alert severity="success" sx={{ mt: 2 }} data-testid="upload-done">
                        {translate('suivi.documents.done', { count: doc.commitment_count ?? 0 })}{' '}
                        <Button component={RouterLink} to={`/documents/${doc.id}/show`} size="small">
                            {translate('suivi.documents.view_document')}
                        </Button>
                    </Alert>
                )}
                {phase === 'failed' && (
                    <Alert severity="error" sx={{ mt: 2 }} data-testid="upload-failed">
                        {translate('suivi.documents.failed', { error: doc.error ?? error ?? '' })}
                    </Alert>
                )}
                {error && phase === 'idle' && (
                    <Alert severity="error" sx={{ mt: 2 }}>
                        {error}
                    </Alert>
                )}
                {(phase === 'done' || phase === 'failed') && (
                    <Button sx={{ mt: 2 }} onClick={reset}>
                        {translate('suivi.documents.another')}
                    </Button>
                )}
            </CardContent>
        </Card>
    );
};

export default DocumentUpload;
