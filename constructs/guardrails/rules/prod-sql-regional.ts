import { getPath, isExpression } from '../../core/json';
import { GuardrailRule, isPrimarySqlInstance, userTerm } from '../rule';

export const PROD_SQL_REGIONAL: GuardrailRule = {
  id: 'PROD-SQL-REGIONAL',
  rationale: 'a ZONAL instance is down for as long as its zone is; REGIONAL fails over to a standby in another zone',
  severity: 'error',
  outsideProduction: 'off',
  check(resource) {
    if (!isPrimarySqlInstance(resource)) return [];
    const { config } = resource;
    const availability = getPath(config, 'settings.availability_type');
    if (availability === 'REGIONAL' || isExpression(availability)) return [];
    const term = userTerm(resource, 'settings.availability_type');
    if (term.startsWith('highAvailability of ')) {
      return [
        `${term} is false in production, so settings.availability_type is ${availability === undefined ? 'unset (ZONAL)' : `"${availability}"`}; set highAvailability: true`,
      ];
    }
    return [
      `settings.availability_type is ${availability === undefined ? 'unset (ZONAL)' : `"${availability}"`} in production; set "REGIONAL"`,
    ];
  },
};
