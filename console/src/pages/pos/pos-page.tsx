/**
 * @module The till (/pos): scan or search into the basket (a cart in the store's channel), find the customer and
 * pull up her online cart or a cart by resume code, pay with split tender, print the receipt; an item this store
 * lacks can be ordered for delivery from another location (endless aisle).
 */
import { Button, Grid, Group, Stack } from '@mantine/core';
import { IconCash } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { request } from '../../api/client';
import type { Customer } from '../../api/customer-types';
import {
  isHandedOverHere,
  useAddLines,
  useCart,
  useClaimCart,
  useRemoveLine,
  useResumeCart,
  useSetQuantity,
  useStartCart,
  useStoreCredit,
  useTakeCartHere,
  type PosSale,
  type PricedLine,
} from '../../api/pos';
import { ErrorAlert } from '../../components/error-alert';
import { Basket } from './pos-basket';
import { CustomerPanel } from './pos-customer';
import { EndlessAisleModal } from './pos-endless-aisle';
import { usePosT } from './pos-i18n';
import { PickStoreFirst, PosNav } from './pos-nav';
import { PayModal, SaleDone } from './pos-sale';
import { ScanField } from './pos-scan';
import { useTill } from './pos-till';

const BASKET_KEY = 'omnis.pos.basket';

/** The basket survives a reload of the till (this tab only): a sale in progress is never lost to F5. */
function useBasketId(): [string | null, (id: string | null) => void] {
  const [id, setId] = useState<string | null>(() => sessionStorage.getItem(BASKET_KEY));
  useEffect(() => {
    if (id) sessionStorage.setItem(BASKET_KEY, id);
    else sessionStorage.removeItem(BASKET_KEY);
  }, [id]);
  return [id, setId];
}

export function PosPage() {
  const { t } = usePosT();
  const till = useTill();
  const [cartId, setCartId] = useBasketId();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [paying, setPaying] = useState(false);
  const [done, setDone] = useState<PosSale | null>(null);
  const [aisle, setAisle] = useState<PricedLine | null>(null);
  const cart = useCart(cartId, till.channelId);
  const credit = useStoreCredit(customer?.id ?? null);
  const start = useStartCart();
  const addLines = useAddLines();
  const setQuantity = useSetQuantity();
  const removeLine = useRemoveLine();
  const claim = useClaimCart();
  const resume = useResumeCart();
  const takeHere = useTakeCartHere();
  const mutations = [start, addLines, setQuantity, removeLine, claim, resume, takeHere];
  const busy = mutations.some((m) => m.isPending);
  const failed = mutations.find((m) => m.error)?.error ?? cart.error;

  // A cart pulled up here (her web cart, a resumed cart, the till's merged into hers) is completed at the counter:
  // its lines become pickups at this store so the basket shows exactly what the sale charges. Once per version.
  const tookHere = useRef('');
  const pulled = cart.data;
  useEffect(() => {
    if (!pulled || pulled.status !== 'open' || !till.locationId || !till.channelId || busy) return;
    if (pulled.lines.every((l) => isHandedOverHere(l, till.locationId!))) return;
    const version = `${pulled.id}@${pulled.updated_at}`;
    if (tookHere.current === version) return;
    tookHere.current = version;
    takeHere.mutate({ cart: pulled, channelId: till.channelId, locationId: till.locationId });
  }, [pulled, till.locationId, till.channelId, busy, takeHere]);

  if (!till.locationId || !till.channelId)
    return (
      <>
        <PosNav active="till" till={till} />
        <PickStoreFirst />
      </>
    );
  const channelId = till.channelId;
  const locationId = till.locationId;
  const reset = () => mutations.forEach((m) => m.reset());

  const addSku = (sku: string) => {
    reset();
    const lines = [{ sku, quantity: 1 }];
    if (cartId && cart.data?.status === 'open') addLines.mutate({ cartId, channelId, locationId, lines });
    else
      start.mutate(
        {
          channel_id: channelId,
          location_id: locationId,
          ...(customer ? { customer_id: customer.id } : {}),
          lines,
        },
        { onSuccess: (c) => setCartId(c.id) },
      );
  };

  const selectCustomer = (c: Customer | null) => {
    reset();
    setCustomer(c);
    // The till's anonymous basket becomes hers (merged into her open cart when she has one).
    if (c && cartId && cart.data && !cart.data.customer_id && cart.data.lines.length > 0)
      claim.mutate({ cartId, channelId, customerId: c.id }, { onSuccess: (merged) => setCartId(merged.id) });
  };

  const resumeByCode = (code: string) => {
    reset();
    resume.mutate(
      { channelId, code },
      {
        onSuccess: (opened) => {
          setCartId(opened.id);
          if (opened.customer_id && opened.customer_id !== customer?.id)
            void request<Customer>(`/v1/customers/${encodeURIComponent(opened.customer_id)}`).then(
              setCustomer,
            );
        },
      },
    );
  };

  const nextSale = () => {
    setDone(null);
    setCartId(null);
    setCustomer(null);
    reset();
  };

  const creditHere =
    (credit.data?.balances ?? []).find((b) => b.currency === cart.data?.currency)?.amount ?? 0;

  return (
    <>
      <PosNav active="till" till={till} />
      {done ? (
        <SaleDone sale={done} customerId={customer?.id ?? null} onNext={nextSale} />
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="sm">
              <ScanField onAdd={addSku} busy={busy} />
              {failed && <ErrorAlert error={failed} data-testid="pos-error" />}
              <Basket
                cart={cart.data ?? null}
                locationId={locationId}
                busy={busy}
                onQuantity={(lineId, quantity) =>
                  cartId && setQuantity.mutate({ cartId, channelId, lineId, quantity })
                }
                onRemove={(lineId) => cartId && removeLine.mutate({ cartId, channelId, lineId })}
                onEndlessAisle={setAisle}
              />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap="sm">
              <CustomerPanel
                customer={customer}
                onSelect={selectCustomer}
                cartId={cartId}
                onPullUp={(id) => {
                  reset();
                  setCartId(id);
                }}
                onResume={resumeByCode}
                busy={busy}
              />
              <Group grow>
                <Button
                  size="xl"
                  color="teal"
                  leftSection={<IconCash size={22} />}
                  disabled={
                    busy ||
                    !cart.data ||
                    cart.data.pricing.lines.length === 0 ||
                    !cart.data.lines.every((l) => isHandedOverHere(l, locationId))
                  }
                  onClick={() => setPaying(true)}
                  data-testid="pos-pay-open"
                >
                  {t('pos.pay.open')}
                </Button>
              </Group>
            </Stack>
          </Grid.Col>
        </Grid>
      )}
      {cart.data && paying && (
        <PayModal
          opened={paying}
          onClose={() => setPaying(false)}
          cart={cart.data}
          locationId={locationId}
          customerId={customer?.id ?? cart.data.customer_id}
          storeCredit={creditHere}
          onSold={(sale) => {
            setPaying(false);
            setDone(sale);
          }}
        />
      )}
      {aisle && cart.data && cartId && (
        <EndlessAisleModal
          line={aisle}
          channelId={channelId}
          locationId={locationId}
          customer={customer}
          storeCredit={creditHere}
          onClose={() => setAisle(null)}
          onSold={() => {
            removeLine.mutate({ cartId, channelId, lineId: aisle.id });
            setAisle(null);
          }}
        />
      )}
    </>
  );
}
