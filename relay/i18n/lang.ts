/** The languages every catalogue speaks (patients are French). */
export type Lang = 'en' | 'fr';
