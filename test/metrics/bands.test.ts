/**
 * The bands at their boundaries, from DORA's 2024 figures as README.md states them: elite "on
 * demand (multiple deploys per day)", high "between once per day and once per week", medium
 * "between once per week and once per month" (a month read as 30 days); lead time elite "less than
 * one day", high "between one day and one week", medium "between one week and one month"; change
 * fail rate elite 5%, high 20% (medium's 10% lies below high's, so never named); recovery elite
 * "less than one hour", high "less than one day", anything longer low.
 */
import { describe, expect, it } from 'vitest';
import { changeFailureRateBand, deploymentFrequencyBand, leadTimeBand, recoveryTimeBand, reworkRateBand } from '../../shared/metrics/bands.js';

describe('DORA 2024 bands', () => {
  it.each([
    [2, 'elite'],
    [1.0001, 'elite'],
    [1, 'high'],
    [1 / 7, 'high'],
    [1 / 7 - 1e-9, 'medium'],
    [1 / 30, 'medium'],
    [1 / 31, 'low'],
    [0, 'low'],
  ])('deployment frequency %d a day → %s', (perDay, band) => {
    expect(deploymentFrequencyBand(perDay)).toBe(band);
  });

  it.each([
    [0.5, 'elite'],
    [23.99, 'elite'],
    [24, 'high'],
    [168, 'high'],
    [168.01, 'medium'],
    [720, 'medium'],
    [720.01, 'low'],
  ])('lead time %d h → %s', (hours, band) => {
    expect(leadTimeBand(hours)).toBe(band);
  });

  it.each([
    [0, 'elite'],
    [0.05, 'elite'],
    [0.0501, 'high'],
    [0.1, 'high'],
    [0.2, 'high'],
    [0.2001, 'low'],
    [1, 'low'],
  ])('change fail rate %d → %s', (rate, band) => {
    expect(changeFailureRateBand(rate)).toBe(band);
  });

  it.each([
    [0.99, 'elite'],
    [1, 'high'],
    [23.99, 'high'],
    [24, 'low'],
    [200, 'low'],
  ])('recovery %d h → %s', (hours, band) => {
    expect(recoveryTimeBand(hours)).toBe(band);
  });

  it('gives no band where there is no number, and none for rework rate (DORA published none)', () => {
    expect(leadTimeBand(undefined)).toBeUndefined();
    expect(changeFailureRateBand(undefined)).toBeUndefined();
    expect(recoveryTimeBand(Number.NaN)).toBeUndefined();
    expect(reworkRateBand(0)).toBeUndefined();
    expect(reworkRateBand(0.5)).toBeUndefined();
  });
});
