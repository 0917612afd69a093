import { type Static, Type } from 'typebox';
import { ContactSchema } from '../actions/actions.schema.js';

/** The id of a structure in an API path. */
export const StructureIdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Identifiant de la structure' }),
});

/** The parameters of the structure list. */
export const StructureListQuerystring = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Une partie du nom, sans tenir compte des accents.' })),
    department: Type.Optional(
      Type.Array(Type.String({ pattern: '^(\\d{2,3}|2[ABab])$' }), {
        maxItems: 50,
        description: 'Codes INSEE de département, répétable.',
      }),
    ),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: '50 par défaut, 100 au plus.' })),
  },
  { additionalProperties: false },
);
export type StructureListQuerystring = Static<typeof StructureListQuerystring>;

const StructureProperties = {
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.Union([Type.Enum(['centre_social', 'evs']), Type.Null()]),
  url: Type.String(),
  contact: ContactSchema,
  department: Type.Object({
    code: Type.String(),
    name: Type.String(),
    url: Type.String(),
    region: Type.Object({ code: Type.String(), name: Type.String() }),
  }),
  actionCount: Type.Integer(),
};

/** A structure in the list. */
export const StructureSchema = Type.Object(StructureProperties);

/** The structure list. */
export const StructureListResponse = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  perPage: Type.Integer(),
  items: Type.Array(StructureSchema),
});

/** A structure with its fiches. */
export const StructureDetailSchema = Type.Object({
  ...StructureProperties,
  actions: Type.Array(
    Type.Object({
      id: Type.Integer(),
      title: Type.String(),
      url: Type.String(),
      status: Type.Union([Type.Object({ code: Type.String(), label: Type.String() }), Type.Null()]),
    }),
  ),
});
