/**
 * @module A product's variants: SKU, GTIN and one value of every option each, added, changed and removed one
 * at a time. A wrong GTIN check digit or a SKU another variant has comes back from the server next to its field.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import {
  useCreateVariant,
  useDeleteVariant,
  useUpdateVariant,
  type Product,
  type Variant,
} from '../../api/catalog';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../lib/errors';
import { notifyError } from '../../lib/notify';
import { useCatalogT } from './catalog-i18n';

export function VariantsPanel({ product, canWrite }: { product: Product; canWrite: boolean }) {
  const { t } = useCatalogT();
  const [editing, setEditing] = useState<Variant | 'new' | null>(null);
  const remove = useDeleteVariant();

  return (
    <Paper withBorder radius="md" p="md" data-testid="variants-panel">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('catalog.variants.title')}</Title>
        {canWrite && (
          <Button
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => setEditing('new')}
            data-testid="variant-add"
          >
            {t('catalog.variants.add')}
          </Button>
        )}
      </Group>
      {product.variants.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="variants-empty">
          {t('catalog.variants.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer type="native" minWidth={520}>
          <Table verticalSpacing="xs" data-testid="variants-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('catalog.variants.sku')}</Table.Th>
                <Table.Th>{t('catalog.variants.gtin')}</Table.Th>
                <Table.Th>{t('catalog.variants.options')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {product.variants.map((variant) => (
                <Table.Tr key={variant.id} data-testid="variant-row" data-sku={variant.sku}>
                  <Table.Td ff="monospace">{variant.sku}</Table.Td>
                  <Table.Td ff="monospace">{variant.gtin ?? '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {Object.entries(variant.options).map(([name, value]) => (
                        <Badge key={name} variant="outline" color="gray" radius="sm">
                          {name}: {value}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {canWrite && (
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <ActionIcon
                          variant="subtle"
                          aria-label={t('catalog.variants.edit')}
                          onClick={() => setEditing(variant)}
                        >
                          <IconEdit size={16} />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('catalog.variants.remove')}
                          loading={remove.isPending && remove.variables?.variantId === variant.id}
                          onClick={() =>
                            remove.mutate(
                              { productId: product.id, variantId: variant.id },
                              { onError: (error) => notifyError(error, t('catalog.variants.removeFailed')) },
                            )
                          }
                          data-testid="variant-remove"
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing !== null && (
        <VariantModal
          product={product}
          variant={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Paper>
  );
}

interface VariantValues {
  sku: string;
  gtin: string;
  options: Record<string, string>;
}

function VariantModal(props: { product: Product; variant: Variant | null; onClose: () => void }) {
  const { product, variant, onClose } = props;
  const { t } = useCatalogT();
  const create = useCreateVariant();
  const update = useUpdateVariant();
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<VariantValues>({
    initialValues: {
      sku: variant?.sku ?? '',
      gtin: variant?.gtin ?? '',
      options: Object.fromEntries(product.options.map((o) => [o.name, variant?.options[o.name] ?? ''])),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    const input = { sku: values.sku.trim(), gtin: values.gtin.trim() || null, options: values.options };
    try {
      if (variant) await update.mutateAsync({ productId: product.id, variantId: variant.id, patch: input });
      else await create.mutateAsync({ productId: product.id, input });
      onClose();
    } catch (error) {
      const fields = ['sku', 'gtin', ...product.options.map((o) => `options.${o.name}`), 'options'];
      if (!applyFieldErrors(form, error, fields)) setFailure(error);
    }
  });

  return (
    <Modal
      opened
      onClose={onClose}
      title={variant ? t('catalog.variants.editTitle') : t('catalog.variants.addTitle')}
    >
      <form onSubmit={submit} data-testid="variant-form">
        <Stack gap="sm">
          {failure !== null && <ErrorAlert error={failure} />}
          <TextInput
            label={t('catalog.variants.sku')}
            required
            maxLength={64}
            {...form.getInputProps('sku')}
            data-testid="variant-sku"
          />
          <TextInput
            label={t('catalog.variants.gtin')}
            description={t('catalog.variants.gtinHint')}
            maxLength={14}
            {...form.getInputProps('gtin')}
            data-testid="variant-gtin"
          />
          {product.options.map((option) => (
            <Select
              key={option.name}
              label={option.name}
              data={option.values}
              allowDeselect={false}
              {...form.getInputProps(`options.${option.name}`)}
              data-testid={`variant-option-${option.name}`}
            />
          ))}
          {form.errors.options && (
            <Text size="sm" c="red">
              {form.errors.options}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('catalog.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending} data-testid="variant-save">
              {t('catalog.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
