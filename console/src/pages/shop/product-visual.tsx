/**
 * @module A product's picture: its first media image when the catalog has one; otherwise a drawn tile in the
 * chosen colour with the garment's or shoe's outline, so a catalog without photos (like the demo's) still reads
 * as a shop rather than a grid of grey boxes.
 */
import { AspectRatio, Box, Image } from '@mantine/core';
import { IconJacket, IconShirt, IconShoe } from '@tabler/icons-react';
import type { StoreMedia } from '../../api/store';

/** Fabric tones for the demo's colour names; anything else gets a neutral stone. */
const TONES: Record<string, string> = {
  navy: '#2b3a55',
  white: '#f4f2ee',
  black: '#2a2a2a',
  sand: '#d8c3a0',
  olive: '#7b7d4a',
  terracotta: '#c26a4a',
  grey: '#9a9ea3',
  sky: '#9cc3e4',
  burgundy: '#7a2638',
  ecru: '#ece3cf',
};

export const toneOf = (colour: string | undefined): string => TONES[colour ?? ''] ?? '#cfc8bd';

/** Light tones need a dark outline to show. */
function isLight(hex: string): boolean {
  const n = Number.parseInt(hex.slice(1), 16);
  return (((n >> 16) & 255) * 299 + ((n >> 8) & 255) * 587 + (n & 255) * 114) / 1000 > 160;
}

export type ProductShape = 'shoe' | 'outerwear' | 'garment';

export function ProductVisual(props: {
  media: StoreMedia | undefined;
  colour: string | undefined;
  shape: ProductShape;
  alt: string;
  ratio?: number;
}) {
  const ratio = props.ratio ?? 4 / 5;
  if (props.media)
    return (
      <AspectRatio ratio={ratio}>
        <Image src={props.media.url} alt={props.media.alt || props.alt} radius="md" fit="cover" />
      </AspectRatio>
    );
  const tone = toneOf(props.colour);
  const Icon = props.shape === 'shoe' ? IconShoe : props.shape === 'outerwear' ? IconJacket : IconShirt;
  return (
    <AspectRatio ratio={ratio}>
      <Box
        role="img"
        aria-label={props.alt}
        style={{
          borderRadius: 'var(--mantine-radius-md)',
          background: `radial-gradient(circle at 50% 40%, #ffffff 0%, #f3f1ed 70%)`,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
        }}
      >
        <Icon
          size="58%"
          stroke={1}
          fill={tone}
          color={isLight(tone) ? '#8a8378' : 'rgba(0,0,0,0.35)'}
          style={{ filter: 'drop-shadow(0 6px 10px rgba(0,0,0,0.12))' }}
        />
      </Box>
    </AspectRatio>
  );
}
