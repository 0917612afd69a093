import { Type } from 'typebox';

/** The id of a fiche in an API path. */
export const ActionIdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Identifiant de la fiche action' }),
});

/** Every API error: the HTTP status, a stable code, a French message and the parameter at fault. */
export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String({ description: 'Le paramètre en cause.' })),
});

/** A vocabulary value: its stable code and its label. */
export const TermSchema = Type.Object({ code: Type.String(), label: Type.String() });
const OptionalTerm = Type.Union([TermSchema, Type.Null()]);
const Text = Type.Union([Type.String(), Type.Null()], { description: 'Texte libre, tel qu’écrit ; null si vide.' });

/** The department of a structure, with its région. */
export const DepartmentWithRegion = Type.Object({
  code: Type.String({ description: 'Code INSEE' }),
  name: Type.Union([Type.String(), Type.Null()]),
  region: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
});

/** A whole fiche, as `GET /api/v1/actions/{id}` gives it. */
const Figure = Type.Union([
  Type.Object({
    amount: Type.Number({ description: 'Montant en euros.' }),
    confidence: Type.Enum(['high', 'medium', 'low'], {
      description:
        '`high` : total indiqué comme tel ou seul montant du texte ; `medium` : lu dans une phrase ou additionné d’une liste ; `low` : le texte le dit approximatif.',
    }),
  }),
  Type.Null(),
]);

const BudgetSchema = Type.Object(
  {
    charges: Figure,
    products: Figure,
    total: Figure,
    funders: Type.Array(
      Type.Object({
        code: Type.Union([Type.String(), Type.Null()], { description: 'Code d’un financeur connu, sinon null.' }),
        label: Type.String(),
        amount: Type.Union([Type.Number(), Type.Null()]),
      }),
    ),
    volunteering: Type.Union([Type.Number(), Type.Null()], {
      description: 'Valorisation du bénévolat indiquée par le texte, en euros : ni un financeur, ni une dépense.',
    }),
  },
  {
    description:
      'Budget lu dans le texte « Ressources financières mobilisées » : `total` est le montant global (les charges, sinon les produits, sinon le seul montant donné). Rien n’est inventé : un texte sans montant donne des montants null.',
  },
);

export const FicheSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  url: Type.String(),
  structure: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    kind: Type.Union([Type.Enum(['centre_social', 'evs']), Type.Null()]),
    url: Type.String(),
    department: DepartmentWithRegion,
  }),
  attachments: Type.Array(
    Type.Object({
      id: Type.Integer(),
      fileName: Type.String(),
      mediaType: Type.Union([Type.String(), Type.Null()]),
      sizeBytes: Type.Union([Type.Integer(), Type.Null()]),
      available: Type.Boolean(),
      /** Where to download the file; null for a name listed by a legacy dump without its file. */
      url: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  status: OptionalTerm,
  endReason: Text,
  dimension: OptionalTerm,
  keywords: Type.Array(TermSchema),
  summary: Text,
  initiatives: Type.Array(TermSchema),
  initiativeDetail: Text,
  territory: OptionalTerm,
  experience: Text,
  publics: Type.Array(TermSchema),
  partners: Type.Array(
    Type.Object({ code: Type.String(), label: Type.String(), role: Type.Enum(['action', 'financial']) }),
  ),
  partnersTerritory: OptionalTerm,
  generalDescription: Text,
  financialResources: Text,
  budget: BudgetSchema,
  peopleMobilised: Text,
  results: Type.Object({ territory: Text, socialCentre: Text, inhabitants: Text }),
  followUp: Type.Object({ limits: Text, perspectives: Text }),
  createdAt: Type.String({ format: 'date-time' }),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description:
      'Première publication dans Essaim ; null pour une fiche importée, dont la source ne donne pas la date.',
  }),
  importedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'Dernier import de la fiche depuis l’export de l’observatoire ; null si elle a été écrite ici.',
  }),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'Dernière modification faite dans Essaim ; null pour une fiche restée telle que son dernier import.',
  }),
});
