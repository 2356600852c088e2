import { useState } from 'react';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, Tooltip, Typography } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { useTranslate } from 'react-admin';

const copyText = async (text: string) => {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        // Clipboard API refused (insecure origin): fall back to a selection copy.
        const area = document.createElement('textarea');
        area.value = text;
        document.body.appendChild(area);
        area.select();
        const ok = document.execCommand?.('copy') ?? false;
        area.remove();
        return ok;
    }
};

/** Shows a webhook signing secret once, with a copy button. */
export const SecretDialog = ({ secret, onClose }: { secret: string | null; onClose: () => void }) => {
    const translate = useTranslate();
    const [copied, setCopied] = useState(false);
    return (
        <Dialog open={!!secret} onClose={(_e, reason) => reason !== 'backdropClick' && onClose()} aria-labelledby="secret-title" fullWidth maxWidth="sm">
            <DialogTitle id="secret-title">{translate('suivi.subscriptions.secret_title')}</DialogTitle>
            <DialogContent>
                <Alert severity="warning" sx={{ mb: 2 }}>
                    {translate('suivi.subscriptions.secret_once')}
                </Alert>
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, bgcolor: 'action.hover', p: 1, borderRadius: 1 }}>
                    <Typography component="code" data-testid="webhook-secret" sx={{ fontFamily: 'monospace', wordBreak: 'break-all', flex: 1 }}>
                        {secret}
                    </Typography>
                    <Tooltip title={translate('suivi.subscriptions.copy')}>
                        <IconButton
                            aria-label={translate('suivi.subscriptions.copy')}
                            onClick={async () => setCopied(await copyText(secret ?? ''))}
                        >
                            <ContentCopyIcon />
                        </IconButton>
                    </Tooltip>
                </Box>
                {copied && (
                    <Typography role="status" color="success.main" sx={{ mt: 1 }}>
                        {translate('suivi.subscriptions.copied')}
                    </Typography>
                )}
            </DialogContent>
            <DialogActions>
                <Button
                    variant="contained"
                    onClick={() => {
                        setCopied(false);
                        onClose();
                    }}
                >
                    {translate('suivi.subscriptions.close')}
                </Button>
            </DialogActions>
        </Dialog>
    );
};

export default SecretDialog;
