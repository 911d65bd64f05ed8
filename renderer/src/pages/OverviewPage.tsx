import { PageHeader } from '../components/PageHeader.tsx';

export function OverviewPage() {
  return <PageHeader title="Overview" />;
}
