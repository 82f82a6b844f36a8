/**
 * A small offline country table: ISO code, name and an approximate centroid, enough to tell that
 * two logins an hour apart from the United States and Japan cannot both be the same person.
 */

/** A country with the latitude and longitude of a central point, in degrees. */
export interface Country {
  readonly code: string;
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
}

/** Countries used by the scenario generator (approximate centroids of their populated areas). */
export const COUNTRIES: readonly Country[] = [
  { code: "US", name: "United States", lat: 39.8, lon: -98.6 },
  { code: "GB", name: "United Kingdom", lat: 52.4, lon: -1.5 },
  { code: "DE", name: "Germany", lat: 51.2, lon: 10.4 },
  { code: "FR", name: "France", lat: 46.6, lon: 2.4 },
  { code: "IN", name: "India", lat: 21.1, lon: 78.7 },
  { code: "BR", name: "Brazil", lat: -14.2, lon: -51.9 },
  { code: "JP", name: "Japan", lat: 36.2, lon: 138.3 },
  { code: "CA", name: "Canada", lat: 49.0, lon: -85.0 },
  { code: "AU", name: "Australia", lat: -33.0, lon: 147.0 },
  { code: "NL", name: "Netherlands", lat: 52.1, lon: 5.3 },
  { code: "RU", name: "Russia", lat: 55.8, lon: 37.6 },
  { code: "CN", name: "China", lat: 34.0, lon: 113.0 },
  { code: "VN", name: "Vietnam", lat: 16.0, lon: 107.0 },
  { code: "RO", name: "Romania", lat: 45.9, lon: 25.0 },
  { code: "NG", name: "Nigeria", lat: 9.1, lon: 8.7 },
  { code: "SG", name: "Singapore", lat: 1.35, lon: 103.8 },
];

const BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c]));

/**
 * Returns the country with this ISO code, or `undefined`.
 * @example
 * countryByCode("FR") // => { code: "FR", name: "France", lat: 46.6, lon: 2.4 }
 */
export function countryByCode(code: string): Country | undefined {
  return BY_CODE.get(code);
}

/**
 * Returns the great-circle distance in kilometres between two countries' centroids (haversine),
 * or `undefined` when either code is unknown.
 * @example
 * Math.round(distanceKm("US", "JP")!) // => 9756
 */
export function distanceKm(a: string, b: string): number | undefined {
  const p = BY_CODE.get(a);
  const q = BY_CODE.get(b);
  if (!p || !q) return undefined;
  const rad = Math.PI / 180;
  const dLat = (q.lat - p.lat) * rad;
  const dLon = (q.lon - p.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(p.lat * rad) * Math.cos(q.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
