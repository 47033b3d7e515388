/**
 * @module The shop being browsed: its publishable key, its channel (name, currency) and the other shops this
 * browser knows, shared by every storefront page.
 */
import { createContext, useContext } from 'react';
import type { StoreChannel } from '../../api/store';
import type { Locale } from '../../api/types';

export interface Shop {
  key: string;
  channel: StoreChannel;
  /** The channel's currency, in which every price is asked for; undefined when its config names none. */
  currency: string | undefined;
  locale: Locale;
  keys: string[];
  chooseShop: (key: string) => void;
}

export const ShopContext = createContext<Shop | null>(null);

export function useShop(): Shop {
  const shop = useContext(ShopContext);
  if (!shop) throw new Error('useShop() outside the shop layout');
  return shop;
}
