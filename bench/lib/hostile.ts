import type { MixQuery } from './mix.js';

// Words of the fiches, for queries that are long on purpose.
const WORDS = [
  'jardin',
  'théâtre',
  'numérique',
  'seniors',
  'familles',
  'parentalité',
  'cuisine',
  'musique',
  'sport',
  'lecture',
  'vacances',
  'emploi',
  'logement',
  'santé',
  'mobilité',
  'insertion',
  'couture',
  'danse',
  'peinture',
  'écriture',
  'bricolage',
  'randonnée',
  'vélo',
  'citoyenneté',
  'environnement',
  'alimentation',
  'solidarité',
  'accueil',
  'quartier',
  'bénévoles',
  'enfants',
  'jeunes',
  'handicap',
  'culture',
  'mémoire',
  'isolement',
  'atelier',
];

const SHORT_WORDS = [
  'vélo',
  'danse',
  'santé',
  'sport',
  'jeux',
  'café',
  'repas',
  'fête',
  'chant',
  'conte',
  'livre',
  'film',
  'photo',
  'radio',
  'poème',
  'yoga',
  'judo',
  'foot',
  'gym',
  'pêche',
  'bébé',
  'ado',
  'aînés',
  'droit',
  'eau',
  'écran',
  'école',
  'été',
  'mer',
  'ski',
  'bal',
  'bus',
];

/** A made-up word no fiche holds, the same for the same n. */
function unknownWord(n: number): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  let word = '';
  for (let x = n * 7919 + 13; word.length < 5; x = Math.floor(x / 5) + word.length * 31) {
    word += letters[x % letters.length];
  }
  return word;
}

/**
 * Queries written to cost as much as possible, which the search must answer as fast as the
 * others: 32 terms joined by OR, 45 unknown words, a long quoted phrase, 300 characters.
 */
export function hostileQueries(): MixQuery[] {
  const sentence = WORDS.join(' ');
  // Short words, so that 32 terms joined by OR fit in the 300 characters a query may have.
  const short = SHORT_WORDS.slice();
  return [
    { kind: 'syntax', q: short.join(' OR ') },
    { kind: 'syntax', q: Array.from({ length: 45 }, (_, i) => unknownWord(i + 1)).join(' ') },
    {
      kind: 'syntax',
      q: '"le centre social accueille les habitants du quartier pour des ateliers de cuisine et de couture"',
    },
    { kind: 'syntax', q: sentence.slice(0, sentence.lastIndexOf(' ', 300)).padEnd(300, ' x').slice(0, 300) },
    { kind: 'syntax', q: short.reverse().join(' OR '), filters: { status: ['en-cours'] }, sort: 'recent' },
    { kind: 'syntax', q: `"lien social" ${WORDS.slice(0, 20).join(' ')}` },
  ];
}
