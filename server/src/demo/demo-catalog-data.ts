/**
 * @module The demo retailer's assortment as plain data: brands, the category tree, collections, size charts,
 * garment and shoe types, materials, model names and colours in English, Spanish and Russian. demo-catalog.ts
 * combines them, deterministically, into about 2,000 SKUs.
 */
import type { LocalizedText } from '../modules/catalog';

export interface DemoCategory {
  handle: string;
  name: LocalizedText;
  parent?: string;
}

export const demoCategories: DemoCategory[] = [
  { handle: 'clothing', name: { en: 'Clothing', es: 'Ropa', ru: 'Одежда' } },
  { handle: 'shirts', parent: 'clothing', name: { en: 'Shirts', es: 'Camisas', ru: 'Рубашки' } },
  { handle: 't-shirts', parent: 'clothing', name: { en: 'T-shirts', es: 'Camisetas', ru: 'Футболки' } },
  { handle: 'knitwear', parent: 'clothing', name: { en: 'Knitwear', es: 'Punto', ru: 'Трикотаж' } },
  { handle: 'trousers', parent: 'clothing', name: { en: 'Trousers', es: 'Pantalones', ru: 'Брюки' } },
  { handle: 'dresses', parent: 'clothing', name: { en: 'Dresses', es: 'Vestidos', ru: 'Платья' } },
  { handle: 'outerwear', parent: 'clothing', name: { en: 'Outerwear', es: 'Abrigos', ru: 'Верхняя одежда' } },
  { handle: 'shoes', name: { en: 'Shoes', es: 'Calzado', ru: 'Обувь' } },
  { handle: 'sneakers', parent: 'shoes', name: { en: 'Sneakers', es: 'Zapatillas', ru: 'Кроссовки' } },
  { handle: 'boots', parent: 'shoes', name: { en: 'Boots', es: 'Botas', ru: 'Ботинки' } },
  { handle: 'sandals', parent: 'shoes', name: { en: 'Sandals', es: 'Sandalias', ru: 'Сандалии' } },
  { handle: 'loafers', parent: 'shoes', name: { en: 'Loafers', es: 'Mocasines', ru: 'Лоферы' } },
];

export const demoCollections: Array<{ handle: string; title: LocalizedText; description: LocalizedText }> = [
  {
    handle: 'spring-summer-26',
    title: { en: 'Spring–Summer 26', es: 'Primavera–Verano 26', ru: 'Весна–лето 26' },
    description: {
      en: 'Linen, cotton and sandals for warm days.',
      es: 'Lino, algodón y sandalias para los días de calor.',
      ru: 'Лён, хлопок и сандалии для тёплых дней.',
    },
  },
  {
    handle: 'autumn-winter-26',
    title: { en: 'Autumn–Winter 26', es: 'Otoño–Invierno 26', ru: 'Осень–зима 26' },
    description: {
      en: 'Merino, wool coats and leather boots.',
      es: 'Merino, abrigos de lana y botas de piel.',
      ru: 'Мериносовая шерсть, пальто и кожаные ботинки.',
    },
  },
  {
    handle: 'essentials',
    title: { en: 'Essentials', es: 'Básicos', ru: 'Базовый гардероб' },
    description: {
      en: 'Pieces we always keep in stock.',
      es: 'Prendas que siempre tenemos.',
      ru: 'Вещи, которые всегда есть в наличии.',
    },
  },
];

export const apparelSizes = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
export const shoeSizes = ['36', '37', '38', '39', '40', '41', '42', '43', '44', '45'];

export interface DemoColour {
  value: string;
  code: string;
}

/** Option values stay machine words (feeds send them as `color`); the option label is localized. */
export const demoColours: DemoColour[] = [
  { value: 'navy', code: 'NAV' },
  { value: 'white', code: 'WHT' },
  { value: 'black', code: 'BLK' },
  { value: 'sand', code: 'SND' },
  { value: 'olive', code: 'OLV' },
  { value: 'terracotta', code: 'TRC' },
  { value: 'grey', code: 'GRY' },
  { value: 'sky', code: 'SKY' },
  { value: 'burgundy', code: 'BRG' },
  { value: 'ecru', code: 'ECR' },
];

export const optionLabels = {
  size: { en: 'Size', es: 'Talla', ru: 'Размер' },
  colour: { en: 'Colour', es: 'Color', ru: 'Цвет' },
};

export interface DemoMaterial {
  key: string;
  /** English goes before the noun ("Linen shirt"); Spanish and Russian after it ("Camisa de lino"). */
  name: LocalizedText;
  /** The material on its own, for "Material: lino" in descriptions. */
  fabric: LocalizedText;
  season: 'summer' | 'winter' | 'all';
}

const m = (
  key: string,
  [en, es, ru]: [string, string, string],
  [fabricEs, fabricRu]: [string, string],
  season: DemoMaterial['season'],
): DemoMaterial => ({
  key,
  name: { en, es, ru },
  fabric: { en: en.toLowerCase(), es: fabricEs, ru: fabricRu },
  season,
});

export const demoMaterials: Record<string, DemoMaterial> = {
  linen: m('linen', ['Linen', 'de lino', 'из льна'], ['lino', 'лён'], 'summer'),
  cotton: m(
    'cotton',
    ['Organic cotton', 'de algodón orgánico', 'из органического хлопка'],
    ['algodón orgánico', 'органический хлопок'],
    'all',
  ),
  poplin: m('poplin', ['Poplin', 'de popelín', 'из поплина'], ['popelín', 'поплин'], 'all'),
  merino: m('merino', ['Merino', 'de merino', 'из мериноса'], ['lana merino', 'шерсть мериноса'], 'winter'),
  wool: m('wool', ['Wool', 'de lana', 'из шерсти'], ['lana', 'шерсть'], 'winter'),
  denim: m('denim', ['Denim', 'vaquero', 'из денима'], ['tela vaquera', 'деним'], 'all'),
  twill: m('twill', ['Cotton twill', 'de sarga', 'из саржи'], ['sarga de algodón', 'хлопковая саржа'], 'all'),
  leather: m('leather', ['Leather', 'de piel', 'из кожи'], ['piel', 'кожа'], 'all'),
  suede: m('suede', ['Suede', 'de ante', 'из замши'], ['ante', 'замша'], 'winter'),
  canvas: m('canvas', ['Canvas', 'de lona', 'из канваса'], ['lona', 'канвас'], 'summer'),
  recycled: m(
    'recycled',
    ['Recycled', 'reciclado', 'из переработанных материалов'],
    ['material reciclado', 'переработанные материалы'],
    'all',
  ),
};

export interface DemoType {
  code: string;
  category: string;
  kind: 'apparel' | 'shoes';
  noun: LocalizedText;
  /** One sentence about the piece, after the title. */
  about: LocalizedText;
  materials: string[];
  brands: string[];
  gender: 'female' | 'male' | 'unisex';
  /** Base price range in EUR cents; prices end in .95. */
  price: [number, number];
}

export const demoTypes: DemoType[] = [
  {
    code: 'SHI',
    category: 'shirts',
    kind: 'apparel',
    noun: { en: 'shirt', es: 'Camisa', ru: 'Рубашка' },
    about: {
      en: 'A shirt with a soft collar and mother-of-pearl buttons.',
      es: 'Camisa de cuello suave con botones de nácar.',
      ru: 'Рубашка с мягким воротником и перламутровыми пуговицами.',
    },
    materials: ['linen', 'poplin', 'cotton'],
    brands: ['Alba', 'Costa Norte'],
    gender: 'male',
    price: [3995, 6995],
  },
  {
    code: 'BLO',
    category: 'shirts',
    kind: 'apparel',
    noun: { en: 'blouse', es: 'Blusa', ru: 'Блузка' },
    about: {
      en: 'A loose blouse with gathered sleeves.',
      es: 'Blusa amplia con mangas fruncidas.',
      ru: 'Свободная блузка с присборенными рукавами.',
    },
    materials: ['linen', 'poplin'],
    brands: ['Alba'],
    gender: 'female',
    price: [3495, 5995],
  },
  {
    code: 'TEE',
    category: 't-shirts',
    kind: 'apparel',
    noun: { en: 'T-shirt', es: 'Camiseta', ru: 'Футболка' },
    about: {
      en: 'A heavyweight T-shirt that keeps its shape wash after wash.',
      es: 'Camiseta gruesa que mantiene la forma lavado tras lavado.',
      ru: 'Плотная футболка, которая держит форму после стирок.',
    },
    materials: ['cotton', 'recycled'],
    brands: ['Alba', 'Costa Norte'],
    gender: 'unisex',
    price: [1495, 2995],
  },
  {
    code: 'SWT',
    category: 'knitwear',
    kind: 'apparel',
    noun: { en: 'jumper', es: 'Jersey', ru: 'Джемпер' },
    about: {
      en: 'A fine-gauge crew-neck jumper.',
      es: 'Jersey de punto fino con cuello redondo.',
      ru: 'Джемпер тонкой вязки с круглым вырезом.',
    },
    materials: ['merino', 'cotton', 'wool'],
    brands: ['Alba', 'Costa Norte'],
    gender: 'unisex',
    price: [4995, 8995],
  },
  {
    code: 'CHN',
    category: 'trousers',
    kind: 'apparel',
    noun: { en: 'chinos', es: 'Pantalón chino', ru: 'Чиносы' },
    about: {
      en: 'Straight-leg chinos with a comfortable waistband.',
      es: 'Chino de pierna recta con cintura cómoda.',
      ru: 'Прямые чиносы с удобным поясом.',
    },
    materials: ['twill', 'linen'],
    brands: ['Alba', 'Costa Norte'],
    gender: 'male',
    price: [4495, 6995],
  },
  {
    code: 'JNS',
    category: 'trousers',
    kind: 'apparel',
    noun: { en: 'jeans', es: 'Vaqueros', ru: 'Джинсы' },
    about: {
      en: 'Five-pocket jeans in a mid-rise fit.',
      es: 'Vaqueros de cinco bolsillos y tiro medio.',
      ru: 'Джинсы с пятью карманами и средней посадкой.',
    },
    materials: ['denim', 'recycled'],
    brands: ['Costa Norte'],
    gender: 'unisex',
    price: [4995, 7995],
  },
  {
    code: 'DRS',
    category: 'dresses',
    kind: 'apparel',
    noun: { en: 'midi dress', es: 'Vestido midi', ru: 'Платье миди' },
    about: {
      en: 'A midi dress with a tie waist and side pockets.',
      es: 'Vestido midi con lazada en la cintura y bolsillos laterales.',
      ru: 'Платье миди с поясом на завязках и боковыми карманами.',
    },
    materials: ['linen', 'poplin', 'cotton'],
    brands: ['Alba'],
    gender: 'female',
    price: [5995, 8995],
  },
  {
    code: 'JKT',
    category: 'outerwear',
    kind: 'apparel',
    noun: { en: 'jacket', es: 'Chaqueta', ru: 'Куртка' },
    about: {
      en: 'A light jacket with a two-way zip.',
      es: 'Chaqueta ligera con cremallera de doble cursor.',
      ru: 'Лёгкая куртка на двусторонней молнии.',
    },
    materials: ['recycled', 'denim', 'twill'],
    brands: ['Costa Norte'],
    gender: 'unisex',
    price: [7995, 12995],
  },
  {
    code: 'COA',
    category: 'outerwear',
    kind: 'apparel',
    noun: { en: 'coat', es: 'Abrigo', ru: 'Пальто' },
    about: {
      en: 'A knee-length coat, fully lined.',
      es: 'Abrigo largo hasta la rodilla, totalmente forrado.',
      ru: 'Пальто до колена на подкладке.',
    },
    materials: ['wool'],
    brands: ['Alba', 'Costa Norte'],
    gender: 'unisex',
    price: [14995, 21995],
  },
  {
    code: 'SNK',
    category: 'sneakers',
    kind: 'shoes',
    noun: { en: 'sneakers', es: 'Zapatillas', ru: 'Кеды' },
    about: {
      en: 'Low-top sneakers on a natural rubber sole.',
      es: 'Zapatillas bajas con suela de caucho natural.',
      ru: 'Низкие кеды на подошве из натурального каучука.',
    },
    materials: ['canvas', 'leather', 'recycled'],
    brands: ['Ligera'],
    gender: 'unisex',
    price: [5995, 9995],
  },
  {
    code: 'BOT',
    category: 'boots',
    kind: 'shoes',
    noun: { en: 'Chelsea boots', es: 'Botines chelsea', ru: 'Челси' },
    about: {
      en: 'Chelsea boots with elastic sides and a stacked heel.',
      es: 'Botines chelsea con elásticos laterales y tacón apilado.',
      ru: 'Ботинки челси с эластичными вставками и наборным каблуком.',
    },
    materials: ['leather', 'suede'],
    brands: ['Paso Firme'],
    gender: 'unisex',
    price: [11995, 16995],
  },
  {
    code: 'SND',
    category: 'sandals',
    kind: 'shoes',
    noun: { en: 'sandals', es: 'Sandalias', ru: 'Сандалии' },
    about: {
      en: 'Flat sandals with adjustable straps.',
      es: 'Sandalias planas con tiras ajustables.',
      ru: 'Сандалии на плоской подошве с регулируемыми ремешками.',
    },
    materials: ['leather', 'suede'],
    brands: ['Paso Firme', 'Ligera'],
    gender: 'female',
    price: [4995, 7995],
  },
  {
    code: 'LOF',
    category: 'loafers',
    kind: 'shoes',
    noun: { en: 'loafers', es: 'Mocasines', ru: 'Лоферы' },
    about: {
      en: 'Hand-stitched penny loafers.',
      es: 'Mocasines cosidos a mano.',
      ru: 'Лоферы ручной прошивки.',
    },
    materials: ['leather', 'suede'],
    brands: ['Paso Firme'],
    gender: 'male',
    price: [9995, 13995],
  },
];

/** Spanish coastal towns name the models: "Tarifa linen shirt", "Camisa de lino Tarifa". */
export const demoModelNames = [
  'Tarifa',
  'Cadaqués',
  'Sóller',
  'Deià',
  'Mojácar',
  'Comillas',
  'Ronda',
  'Altea',
  'Nerja',
  'Zumaia',
  'Cudillero',
  'Peñíscola',
  'Salobreña',
  'Llanes',
  'Frigiliana',
  'Begur',
  'Calella',
  'Getaria',
  'Conil',
  'Tossa',
  'Xàbia',
  'Baiona',
  'Combarro',
  'Laredo',
  'Bermeo',
];

const fitNotes = {
  alba: {
    en: 'True to size with a relaxed fit. Between two sizes, take the smaller one.',
    es: 'Talla fiel con corte holgado. Si dudas entre dos tallas, elige la menor.',
    ru: 'Соответствует размеру, свободный крой. Если сомневаетесь между двумя размерами, берите меньший.',
  },
  costaNorte: {
    en: 'Slim cut that runs small: between two sizes, take the larger one.',
    es: 'Corte entallado que talla pequeño: si dudas entre dos tallas, elige la mayor.',
    ru: 'Приталенный крой, маломерит: если сомневаетесь, берите больший размер.',
  },
  pasoFirme: {
    en: 'Leather shapes to the foot within a week; fits true to size.',
    es: 'La piel se adapta al pie en una semana; talla fiel.',
    ru: 'Кожа разнашивается за неделю; соответствует размеру.',
  },
  ligera: {
    en: 'Roomy toe box; half sizes take the size below.',
    es: 'Puntera amplia; con medio número, elige la talla inferior.',
    ru: 'Широкий мысок; при половинном размере выбирайте меньший.',
  },
};

const apparelColumns = [
  { key: 'chest', label: { en: 'Chest', es: 'Pecho', ru: 'Обхват груди' } },
  { key: 'waist', label: { en: 'Waist', es: 'Cintura', ru: 'Обхват талии' } },
  { key: 'hip', label: { en: 'Hip', es: 'Cadera', ru: 'Обхват бёдер' } },
];

/** Body measurements in cm per size, as ranges; `shift` moves a slimmer cut down. */
const apparelRows = (shift: number) =>
  apparelSizes.map((size, i) => ({
    size,
    values: {
      chest: [82 + i * 6 - shift, 87 + i * 6 - shift] as [number, number],
      waist: [66 + i * 6 - shift, 71 + i * 6 - shift] as [number, number],
      hip: [88 + i * 6 - shift, 93 + i * 6 - shift] as [number, number],
    },
  }));

/** Foot length in cm per EU size (Paris points: 2/3 cm each). */
const shoeRows = (extra: number) =>
  shoeSizes.map((size) => ({
    size,
    values: { foot_length: Math.round(((Number(size) * 2) / 3 - 1.5 + extra) * 10) / 10 },
  }));

const footColumn = [
  { key: 'foot_length', label: { en: 'Foot length', es: 'Largo del pie', ru: 'Длина стопы' } },
];

export const demoSizeCharts = [
  {
    name: 'Alba clothing',
    brand: 'Alba',
    category: 'clothing',
    columns: apparelColumns,
    rows: apparelRows(0),
    fit_notes: fitNotes.alba,
  },
  {
    name: 'Costa Norte clothing',
    brand: 'Costa Norte',
    category: 'clothing',
    columns: apparelColumns,
    rows: apparelRows(2),
    fit_notes: fitNotes.costaNorte,
  },
  {
    name: 'Paso Firme shoes',
    brand: 'Paso Firme',
    category: 'shoes',
    columns: footColumn,
    rows: shoeRows(0),
    fit_notes: fitNotes.pasoFirme,
  },
  {
    name: 'Ligera shoes',
    brand: 'Ligera',
    category: 'shoes',
    columns: footColumn,
    rows: shoeRows(0.3),
    fit_notes: fitNotes.ligera,
  },
];
