import { PageHeader } from '../components/PageHeader.tsx';

export function UsagePage() {
  return <PageHeader title="Usage" />;
}
