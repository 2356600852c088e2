/** A span of text to highlight, by character offsets [start, end) into the text. */
export interface Span {
    key: string;
    start: number;
    end: number;
}

/** A run of text covered by the same set of spans (none for plain text). */
export interface Segment {
    start: number;
    end: number;
    text: string;
    keys: string[];
}

/**
 * Cuts `text` into consecutive segments at every span boundary, so that
 * overlapping and nested spans can be rendered without losing a character.
 * Offsets outside the text are clamped; empty or inverted spans are ignored.
 */
export const segmentText = (text: string, spans: Span[]): Segment[] => {
    const length = text.length;
    const clean = spans
        .map(s => ({ ...s, start: Math.max(0, Math.min(length, s.start)), end: Math.max(0, Math.min(length, s.end)) }))
        .filter(s => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end > s.start);
    const cuts = new Set<number>([0, length]);
    for (const s of clean) {
        cuts.add(s.start);
        cuts.add(s.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const segments: Segment[] = [];
    for (let i = 0; i < points.length - 1; i++) {
        const start = points[i];
        const end = points[i + 1];
        if (end <= start) continue;
        const keys = clean.filter(s => s.start <= start && s.end >= end).map(s => s.key);
        const previous = segments[segments.length - 1];
        if (previous && previous.keys.length === 0 && keys.length === 0) {
            previous.end = end;
            previous.text = text.slice(previous.start, end);
        } else {
            segments.push({ start, end, text: text.slice(start, end), keys });
        }
    }
    if (segments.length === 0) segments.push({ start: 0, end: 0, text: '', keys: [] });
    return segments;
};

/** Parses a `highlight=<start>-<end>` query value. */
export const parseHighlight = (value: string | null | undefined): { start: number; end: number } | null => {
    const match = /^(\d+)-(\d+)$/.exec(value ?? '');
    if (!match) return null;
    const start = Number(match[1]);
    const end = Number(match[2]);
    return end > start ? { start, end } : null;
};
