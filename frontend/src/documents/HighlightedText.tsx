import { useEffect, useRef, type KeyboardEvent } from 'react';
import { Box } from '@mui/material';
import { segmentText, type Span } from './highlight';

export interface HighlightItem extends Span {
    label: string;
}

interface Props {
    text: string;
    items: HighlightItem[];
    /** A range to emphasise and scroll to (from ?highlight=start-end). */
    focus?: { start: number; end: number } | null;
    onSelect?: (key: string) => void;
}

/**
 * Shows a document's text with the extracted commitments highlighted by their
 * offsets. Each highlighted run is a focusable button (Enter or Space opens it).
 */
export const HighlightedText = ({ text, items, focus, onSelect }: Props) => {
    const focusRef = useRef<HTMLElement | null>(null);
    const spans: Span[] = [...items];
    if (focus) spans.push({ key: '__focus__', start: focus.start, end: focus.end });
    const segments = segmentText(text, spans);
    const labels = new Map(items.map(i => [i.key, i.label]));
    let focusAssigned = false;

    useEffect(() => {
        focusRef.current?.scrollIntoView?.({ block: 'center' });
    }, [focus?.start, focus?.end, text]);

    const activate = (key: string) => onSelect?.(key);
    const onKeyDown = (key: string) => (event: KeyboardEvent) => {
        if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            activate(key);
        }
    };

    return (
        <Box
            component="div"
            data-testid="document-text"
            sx={{
                whiteSpace: 'pre-wrap',
                fontFamily: 'Georgia, serif',
                lineHeight: 1.6,
                '& mark': { backgroundColor: '#fff3a0', cursor: 'pointer', borderRadius: '2px' },
                '& mark:focus-visible': { outline: '2px solid #1565c0' },
                '& mark.focus, & span.focus': { backgroundColor: '#ffcc80', boxShadow: '0 0 0 2px #ef6c00' },
            }}
        >
            {segments.map(segment => {
                const isFocus = segment.keys.includes('__focus__');
                const itemKeys = segment.keys.filter(k => k !== '__focus__');
                let ref: ((el: HTMLElement | null) => void) | undefined;
                if (isFocus && !focusAssigned) {
                    focusAssigned = true;
                    ref = el => {
                        focusRef.current = el;
                    };
                }
                if (itemKeys.length === 0) {
                    return (
                        <span key={segment.start} className={isFocus ? 'focus' : undefined} ref={ref} data-focus={isFocus || undefined}>
                            {segment.text}
                        </span>
                    );
                }
                const key = itemKeys[itemKeys.length - 1];
                return (
                    <mark
                        key={segment.start}
                        ref={ref}
                        className={isFocus ? 'focus' : undefined}
                        role="button"
                        tabIndex={0}
                        aria-label={labels.get(key)}
                        data-keys={itemKeys.join(' ')}
                        data-focus={isFocus || undefined}
                        onClick={() => activate(key)}
                        onKeyDown={onKeyDown(key)}
                    >
                        {segment.text}
                    </mark>
                );
            })}
        </Box>
    );
};

export default HighlightedText;
