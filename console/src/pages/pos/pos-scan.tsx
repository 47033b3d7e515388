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
      const found = await lookupCode(code);
      add(found.variant.sku);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
      // Not a code: a search by name, brand or SKU prefix.
      const page = await request<Page<Product>>('/v1/products', { query: { q: code, limit: 8 } });
      setCandidates(candidatesOf(page.data));
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
        <Paper withBorder p="xs" data-testid="pos-search-results">
          {candidates.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="pos-search-empty">
              {t('pos.scan.nothing', { query: value })}
            </Text>
          ) : (
            <Stack gap={4}>
              {candidates.slice(0, 12).map((c) => (
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
                    onClick={() => add(c.sku)}
                    data-testid={`pos-add-${c.sku}`}
                  >
                    {t('pos.scan.add')}
                  </Button>
                </Group>
              ))}
            </Stack>
          )}
        </Paper>
      )}
    </Stack>
  );
}
