/**
 * @module The till's scan field: a barcode scanner types the code and Enter, which looks it up (SKU or GTIN) and
 * adds one unit; anything the lookup doesn't know is taken as a search and the matching variants are offered.
 * The field keeps focus so the next scan lands in it.
 */
import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { IconBarcode } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { ApiError, request } from '../../api/client';
import { lookupCode, type Product } from '../../api/catalog';
import type { Page } from '../../api/types';
import { pickText } from '../catalog/catalog-display';
import { usePosT } from './pos-i18n';

export interface Candidate {
  sku: string;
  label: string;
}

/** A search answer's variants as the till offers them: product title, variant options, SKU. */
export function candidatesOf(products: Product[]): Candidate[] {
  return products.flatMap((p) =>
    p.variants.map((v) => ({
      sku: v.sku,
      label: [pickText(p.title), Object.values(v.options).join(' / ')].filter(Boolean).join(' · '),
    })),
  );
}

/**
 * What a scanned or typed code finds: the variant whose barcode or SKU it is, else the variants of a search by name,
 * brand or SKU prefix. Other failures are thrown.
 */
export async function findByCode(code: string): Promise<{ exact: Candidate } | { candidates: Candidate[] }> {
  try {
    const hit = await lookupCode(code);
    return { exact: candidatesOf([{ ...hit.product, variants: [hit.variant] }])[0]! };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const page = await request<Page<Product>>('/v1/products', { query: { q: code, limit: 8 } });
    return { candidates: candidatesOf(page.data) };
  }
}

/** Variants found by a search, each with a button to take it; a sentence when there are none. */
export function CandidateList({
  candidates,
  empty,
  pickLabel,
  onPick,
  testIds,
}: {
  candidates: Candidate[];
  empty: string;
  pickLabel: string;
  onPick: (c: Candidate) => void;
  /** The list's, the empty sentence's, and each button's prefix (`<pick>-<sku>`). */
  testIds: { list: string; empty: string; pick: string };
}) {
  return (
    <Paper withBorder p="xs" data-testid={testIds.list}>
      {candidates.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid={testIds.empty}>
          {empty}
        </Text>
      ) : (
        <Stack gap={4}>
          {candidates.map((c) => (
            <Group key={c.sku} justify="space-between" wrap="nowrap">
              <Text size="sm" truncate>
                {c.label}{' '}
                <Text span c="dimmed" ff="monospace" size="xs">
                  {c.sku}
                </Text>
              </Text>
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => onPick(c)}
                data-testid={`${testIds.pick}-${c.sku}`}
              >
                {pickLabel}
              </Button>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

export function ScanField({ onAdd, busy }: { onAdd: (sku: string) => void; busy: boolean }) {
  const { t } = usePosT();
  const [value, setValue] = useState('');
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [searching, setSearching] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const add = (sku: string) => {
    onAdd(sku);
    setValue('');
    setCandidates(null);
    input.current?.focus();
  };

  const submit = async () => {
    const code = value.trim();
    if (!code) return;
    setSearching(true);
    try {
      const found = await findByCode(code);
      if ('exact' in found) add(found.exact.sku);
      else setCandidates(found.candidates);
    } finally {
      setSearching(false);
    }
  };

  return (
    <Stack gap="xs">
      <TextInput
        ref={input}
        autoFocus
        size="lg"
        leftSection={<IconBarcode size={22} />}
        placeholder={t('pos.scan.placeholder')}
        aria-label={t('pos.scan.label')}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void submit();
          }
        }}
        disabled={busy}
        rightSection={searching ? <Text size="xs">…</Text> : null}
        data-testid="pos-scan"
      />
      {candidates && (
        <CandidateList
          candidates={candidates.slice(0, 12)}
          empty={t('pos.scan.nothing', { query: value })}
          pickLabel={t('pos.scan.add')}
          onPick={(c) => add(c.sku)}
          testIds={{ list: 'pos-search-results', empty: 'pos-search-empty', pick: 'pos-add' }}
        />
      )}
    </Stack>
  );
}
