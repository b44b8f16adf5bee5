import type { ComponentChildren } from 'preact';

interface SectionProps {
  id: string;
  title: string;
  children: ComponentChildren;
}

/** A titled block of the popup; the heading labels the region for screen readers. */
export function Section({ id, title, children }: SectionProps) {
  return (
    <section class="section" data-section={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}
