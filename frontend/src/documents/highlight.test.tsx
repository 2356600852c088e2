import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { parseHighlight, segmentText } from './highlight';
import { HighlightedText } from './HighlightedText';

const text = 'Nous nous engageons à renouveler le mandat du FGI. Il faut financer le FGI.';

describe('segmentText', () => {
    it('cuts the text at span offsets without losing characters', () => {
        const segments = segmentText(text, [{ key: 'a', start: 0, end: 50 }]);
        expect(segments.map(s => s.text).join('')).toBe(text);
        expect(segments[0]).toMatchObject({ start: 0, end: 50, keys: ['a'], text: text.slice(0, 50) });
        expect(segments[1].keys).toEqual([]);
    });

    it('handles overlapping and nested spans', () => {
        const segments = segmentText('abcdefghij', [
            { key: 'x', start: 2, end: 6 },
            { key: 'y', start: 4, end: 8 },
        ]);
        expect(segments.map(s => [s.text, s.keys])).toEqual([
            ['ab', []],
            ['cd', ['x']],
            ['ef', ['x', 'y']],
            ['gh', ['y']],
            ['ij', []],
        ]);
    });

    it('clamps out-of-range offsets and ignores empty spans', () => {
        const segments = segmentText('abc', [
            { key: 'x', start: 2, end: 99 },
            { key: 'z', start: 1, end: 1 },
        ]);
        expect(segments.map(s => [s.text, s.keys])).toEqual([
            ['ab', []],
            ['c', ['x']],
        ]);
    });

    it('parses highlight=start-end', () => {
        expect(parseHighlight('10-25')).toEqual({ start: 10, end: 25 });
        expect(parseHighlight('25-10')).toBeNull();
        expect(parseHighlight('abc')).toBeNull();
        expect(parseHighlight(null)).toBeNull();
    });
});

describe('HighlightedText', () => {
    it('marks extracted items and opens them by click or keyboard', () => {
        const onSelect = vi.fn();
        render(
            <HighlightedText
                text={text}
                items={[
                    { key: '1', start: 0, end: 50, label: 'Open commitment 1' },
                    { key: '2', start: 51, end: text.length, label: 'Open commitment 2' },
                ]}
                onSelect={onSelect}
            />
        );
        const first = screen.getByRole('button', { name: 'Open commitment 1' });
        expect(first.tagName).toBe('MARK');
        expect(first).toHaveTextContent('Nous nous engageons à renouveler le mandat du FGI.');
        fireEvent.click(first);
        expect(onSelect).toHaveBeenCalledWith('1');
        const second = screen.getByRole('button', { name: 'Open commitment 2' });
        expect(second).toHaveTextContent('Il faut financer le FGI.');
        fireEvent.keyDown(second, { key: 'Enter' });
        expect(onSelect).toHaveBeenLastCalledWith('2');
        expect(screen.getByTestId('document-text')).toHaveTextContent(text);
    });

    it('emphasises the range given by ?highlight', () => {
        render(<HighlightedText text={text} items={[]} focus={{ start: 5, end: 19 }} />);
        const focused = document.querySelector('[data-focus]');
        expect(focused).toHaveTextContent('nous engageons');
    });
});
