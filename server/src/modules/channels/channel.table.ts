/** @module Row type of the channels registry. */

export interface ChannelRow {
  id: string;
  kind: string;
  name: string;
  active: number | boolean;
  config: unknown;
  /** Provider credentials; written, never read back through the API. */
  secrets: unknown;
  created_at: number;
  updated_at: number;
}

export interface ChannelsTables {
  channels: ChannelRow;
}
