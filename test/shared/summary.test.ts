import { describe, expect, it } from 'vitest';
import { details, htmlTable, keyValueTable } from '../../shared/core/summary.js';

describe('summary tables', () => {
  it('escapes values and shows a dash for empty cells', () => {
    expect(
      htmlTable(
        ['name', 'value'],
        [
          ['<script>', undefined],
          ['a|b', 3],
        ],
      ),
    ).toBe('<table><tr><th>name</th><th>value</th></tr><tr><td>&lt;script&gt;</td><td>—</td></tr><tr><td>a|b</td><td>3</td></tr></table>\n');
  });
  it('skips undefined values in key/value tables', () => {
    expect(
      keyValueTable([
        ['image', 'app:1'],
        ['digest', undefined],
      ]),
    ).toContain('<td>image</td><td>app:1</td>');
    expect(
      keyValueTable([
        ['image', 'app:1'],
        ['digest', undefined],
      ]),
    ).not.toContain('digest');
  });
  it('wraps long content in a collapsed block', () => {
    expect(details('3 failures', '<p>x</p>')).toBe('<details><summary>3 failures</summary>\n\n<p>x</p>\n</details>\n');
  });
});
