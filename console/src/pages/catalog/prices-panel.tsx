/**
 * @module A product's prices in one currency: each variant's base price and its prices in price lists, the
 * price every channel computes next to the default (a channel that differs says which list made it so), and
 * for one channel the server's explanation of every list it considered.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconCheck, IconPlus, IconX } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import {
  useChannelPrices,
  useCreatePrice,
  useDeletePrice,
  useUpdatePrice,
  useVariantPrices,
  type Price,
  type Product,
  type Variant,
} from '../../api/catalog';
import { useAllPriceLists } from '../../api/promotions';
import { ErrorAlert } from '../../components/error-alert';
import { formatMoney } from '../../lib/format';
import { notifyError } from '../../lib/notify';
import { useCatalogT } from './catalog-i18n';
import { toMajor, toMinor } from './catalog-display';
import { PriceExplanation } from './price-explanation';

const CURRENCIES = ['EUR', 'USD', 'GBP', 'MXN', 'RUB'];

export function PricesPanel({ product, canWrite }: { product: Product; canWrite: boolean }) {
  const { t } = useCatalogT();
  const [currency, setCurrency] = useState('EUR');
  const variantIds = useMemo(() => product.variants.map((v) => v.id), [product.variants]);
  const prices = useVariantPrices(variantIds);
  const lists = useAllPriceLists();
  const listName = (id: string) => lists.data?.find((l) => l.id === id)?.name ?? id;
  const inCurrency = (prices.data ?? []).filter((p) => p.currency === currency);
  const basePrice = (variantId: string) =>
    inCurrency.find((p) => p.variant_id === variantId && !p.price_list_id);

  return (
    <Paper withBorder radius="md" p="md" data-testid="prices-panel">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('catalog.prices.title')}</Title>
        <Select
          w={110}
          aria-label={t('catalog.prices.currency')}
          data={CURRENCIES}
          value={currency}
          onChange={(value) => value && setCurrency(value)}
          allowDeselect={false}
          data-testid="price-currency"
        />
      </Group>
      {product.variants.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('catalog.prices.noVariants')}
        </Text>
      ) : prices.error ? (
        <ErrorAlert error={prices.error} onRetry={() => void prices.refetch()} />
      ) : (
        <Stack gap="md">
          <Table.ScrollContainer type="native" minWidth={620}>
            <Table verticalSpacing="xs" data-testid="prices-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('catalog.variants.sku')}</Table.Th>
                  <Table.Th>{t('catalog.prices.base')}</Table.Th>
                  <Table.Th>{t('catalog.prices.inLists')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {product.variants.map((variant) => (
                  <Table.Tr key={variant.id} data-testid="price-row" data-sku={variant.sku}>
                    <Table.Td ff="monospace">{variant.sku}</Table.Td>
                    <Table.Td>
                      <BasePriceCell
                        key={`${currency}:${basePrice(variant.id)?.amount ?? ''}`}
                        variant={variant}
                        currency={currency}
                        price={basePrice(variant.id)}
                        canWrite={canWrite}
                      />
                    </Table.Td>
                    <Table.Td>
                      <ListPrices
                        prices={inCurrency.filter((p) => p.variant_id === variant.id && p.price_list_id)}
                        listName={listName}
                        canWrite={canWrite}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {canWrite && (
            <AddListPrice
              variants={product.variants}
              currency={currency}
              lists={(lists.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
            />
          )}
          <ChannelComparisonTable variantIds={variantIds} variants={product.variants} currency={currency} />
          <PriceExplanation variants={product.variants} currency={currency} />
        </Stack>
      )}
    </Paper>
  );
}

function BasePriceCell(props: { variant: Variant; currency: string; price?: Price; canWrite: boolean }) {
  const { variant, currency, price, canWrite } = props;
  const { t } = useCatalogT();
  const [value, setValue] = useState<number | string>(price ? toMajor(price.amount, currency) : '');
  const create = useCreatePrice();
  const update = useUpdatePrice();
  const [error, setError] = useState<string | null>(null);
  const stored = price ? toMajor(price.amount, currency) : '';
  const changed = value !== stored && value !== '';

  const save = async () => {
    setError(null);
    const amount = toMinor(Number(value), currency);
    try {
      if (price) await update.mutateAsync({ id: price.id, amount });
      else await create.mutateAsync({ variant_id: variant.id, currency, amount });
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    }
  };

  if (!canWrite) return <Text size="sm">{price ? formatMoney(price) : '—'}</Text>;
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <NumberInput
        w={140}
        size="xs"
        min={0}
        decimalScale={2}
        placeholder={t('catalog.prices.notSet')}
        aria-label={t('catalog.prices.baseFor', { sku: variant.sku })}
        value={value}
        onChange={setValue}
        error={error}
        rightSection={<Text size="xs">{currency}</Text>}
        data-testid="base-price-input"
      />
      <ActionIcon
        variant={changed ? 'filled' : 'subtle'}
        disabled={!changed}
        loading={create.isPending || update.isPending}
        aria-label={t('catalog.save')}
        onClick={() => void save()}
        data-testid="base-price-save"
      >
        <IconCheck size={16} />
      </ActionIcon>
    </Group>
  );
}

function ListPrices(props: { prices: Price[]; listName: (id: string) => string; canWrite: boolean }) {
  const { t } = useCatalogT();
  const remove = useDeletePrice();
  if (props.prices.length === 0)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Group gap={4}>
      {props.prices.map((price) => (
        <Badge
          key={price.id}
          variant="light"
          color="grape"
          data-testid="list-price"
          rightSection={
            props.canWrite && (
              <ActionIcon
                size="xs"
                variant="transparent"
                color="grape"
                aria-label={t('catalog.prices.removeListPrice')}
                onClick={() =>
                  remove.mutate(price.id, {
                    onError: (error) => notifyError(error, t('catalog.prices.removeFailed')),
                  })
                }
              >
                <IconX size={12} />
              </ActionIcon>
            )
          }
        >
          {props.listName(price.price_list_id!)}: {formatMoney(price)}
        </Badge>
      ))}
    </Group>
  );
}

function AddListPrice(props: {
  variants: Variant[];
  currency: string;
  lists: Array<{ value: string; label: string }>;
}) {
  const { t } = useCatalogT();
  const [variantId, setVariantId] = useState<string | null>(props.variants[0]?.id ?? null);
  const [listId, setListId] = useState<string | null>(null);
  const [amount, setAmount] = useState<number | string>('');
  const create = useCreatePrice();

  const add = () => {
    if (!variantId || !listId || amount === '') return;
    create.mutate(
      {
        variant_id: variantId,
        price_list_id: listId,
        currency: props.currency,
        amount: toMinor(Number(amount), props.currency),
      },
      { onSuccess: () => setAmount('') },
    );
  };

  return (
    <Stack gap={4}>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          size="xs"
          w={170}
          label={t('catalog.prices.variant')}
          data={props.variants.map((v) => ({ value: v.id, label: v.sku }))}
          value={variantId}
          onChange={setVariantId}
          data-testid="list-price-variant"
        />
        <Select
          size="xs"
          w={200}
          label={t('catalog.prices.priceList')}
          placeholder={props.lists.length ? undefined : t('catalog.prices.noLists')}
          data={props.lists}
          value={listId}
          onChange={setListId}
          data-testid="list-price-list"
        />
        <NumberInput
          size="xs"
          w={130}
          min={0}
          decimalScale={2}
          label={t('catalog.prices.amount')}
          value={amount}
          onChange={setAmount}
          rightSection={<Text size="xs">{props.currency}</Text>}
          data-testid="list-price-amount"
        />
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          disabled={!variantId || !listId || amount === ''}
          loading={create.isPending}
          onClick={add}
          data-testid="list-price-add"
        >
          {t('catalog.prices.addListPrice')}
        </Button>
      </Group>
      {create.error && <ErrorAlert error={create.error} />}
    </Stack>
  );
}

function ChannelComparisonTable(props: { variantIds: string[]; variants: Variant[]; currency: string }) {
  const { t } = useCatalogT();
  const comparison = useChannelPrices(props.variantIds, props.currency);
  const sku = (id: string) => props.variants.find((v) => v.id === id)?.sku ?? id;
  if (comparison.error)
    return <ErrorAlert error={comparison.error} onRetry={() => void comparison.refetch()} />;
  const rows = (comparison.data ?? []).flatMap((entry) =>
    entry.channels.map((channel) => ({ entry, channel })),
  );
  return (
    <Stack gap={6}>
      <Text fw={500} size="sm">
        {t('catalog.prices.byChannel')}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('catalog.prices.noChannels')}
        </Text>
      ) : (
        <Table verticalSpacing={4} fz="sm" data-testid="channel-prices">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('catalog.variants.sku')}</Table.Th>
              <Table.Th>{t('catalog.prices.channel')}</Table.Th>
              <Table.Th>{t('catalog.prices.price')}</Table.Th>
              <Table.Th>{t('catalog.prices.why')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ entry, channel }) => (
              <Table.Tr
                key={`${entry.variant_id}:${channel.channel_id}`}
                data-testid="channel-price-row"
                data-differs={channel.differs}
                bg={channel.differs ? 'var(--mantine-color-yellow-light)' : undefined}
              >
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {sku(entry.variant_id)}
                </Table.Td>
                <Table.Td>{channel.channel_name}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {channel.price ? formatMoney(channel.price) : '—'}
                  {channel.compare_at && (
                    <Text span size="xs" c="dimmed" td="line-through" ml={6}>
                      {formatMoney(channel.compare_at)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {channel.differs ? (
                    <Tooltip label={channel.reason} multiline w={320} withArrow>
                      <Badge color="yellow" variant="light" tt="none" data-testid="channel-price-differs">
                        {t('catalog.prices.differs', {
                          price: entry.default.price ? formatMoney(entry.default.price) : '—',
                          list: channel.source.name ?? '',
                        })}
                      </Badge>
                    </Tooltip>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {t('catalog.prices.sameAsDefault')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
