/**
 * @module The replacement of one returned line: the other sizes and colours of the returned item offered first
 * (most exchanges are "the same, one size up"), or any item found as the till finds it — a scanned SKU or barcode
 * through the code lookup, anything else as a catalog search. The server's refusal of the SKU shows under it.
 */
import { Button, Group, Input, Stack, Text, TextInput } from '@mantine/core';
import { IconBarcode } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { lookupCode, type Product } from '../../api/catalog';
import { errorMessage } from '../../lib/errors';
import { CandidateList, candidatesOf, findByCode, type Candidate } from '../pos/pos-scan';
import { usePosT } from '../pos/pos-i18n';

/** The returned item's product, to offer its other variants; none when the SKU is no longer in the catalog. */
function useSiblings(sku: string) {
  return useQuery({
    queryKey: ['catalog', 'by-code', sku],
    queryFn: () => lookupCode(sku).then((found) => found.product),
    retry: false,
    staleTime: 60_000,
  });
}

const siblingsOf = (product: Product | undefined, returnedSku: string): Candidate[] =>
  product ? candidatesOf([product]).filter((c) => c.sku !== returnedSku) : [];

export function ReplacementPicker({
  returnedSku,
  value,
  onChange,
  error,
  testId,
}: {
  returnedSku: string;
  value: Candidate | null;
  onChange: (chosen: Candidate | null) => void;
  error?: string | undefined;
  testId: string;
}) {
  const { t } = usePosT();
  const siblings = siblingsOf(useSiblings(returnedSku).data, returnedSku);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Candidate[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const choose = (c: Candidate) => {
    onChange(c);
    setQuery('');
    setFound(null);
  };

  const find = async () => {
    const code = query.trim();
    if (!code) return;
    setSearching(true);
    setFailure(null);
    try {
      // A code, else a search by name, brand or SKU prefix, as the till's scan field does.
      const hit = await findByCode(code);
      if ('exact' in hit) choose(hit.exact);
      else setFound(hit.candidates.filter((c) => c.sku !== returnedSku));
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setSearching(false);
    }
  };

  if (value)
    return (
      <Stack gap={2}>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" fw={500} truncate data-testid={`${testId}-chosen`}>
            {value.label}{' '}
            <Text span c="dimmed" ff="monospace" size="xs">
              {value.sku}
            </Text>
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => onChange(null)}
            data-testid={`${testId}-change`}
          >
            {t('pos.exchange.change')}
          </Button>
        </Group>
        {error && <Input.Error data-testid={`${testId}-error`}>{error}</Input.Error>}
      </Stack>
    );

  return (
    <Stack gap={6}>
      <TextInput
        size="xs"
        aria-label={t('pos.exchange.findLabel')}
        placeholder={t('pos.exchange.find')}
        leftSection={<IconBarcode size={16} />}
        rightSection={searching ? <Text size="xs">…</Text> : null}
        value={query}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setFound(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void find();
          }
        }}
        error={error ?? failure}
        data-testid={`${testId}-find`}
      />
      {siblings.length > 0 && (
        <Group gap={4}>
          <Text size="xs" c="dimmed">
            {t('pos.exchange.otherSizes')}
          </Text>
          {siblings.slice(0, 10).map((c) => (
            <Button
              key={c.sku}
              size="compact-xs"
              variant="light"
              title={c.sku}
              onClick={() => choose(c)}
              data-testid={`${testId}-sibling-${c.sku}`}
            >
              {c.label.split(' · ').slice(1).join(' · ') || c.sku}
            </Button>
          ))}
        </Group>
      )}
      {found && (
        <CandidateList
          candidates={found.slice(0, 8)}
          empty={t('pos.exchange.noMatch', { query })}
          pickLabel={t('pos.exchange.pick')}
          onPick={choose}
          testIds={{ list: `${testId}-results`, empty: `${testId}-nothing`, pick: `${testId}-pick` }}
        />
      )}
    </Stack>
  );
}
